#!/usr/bin/env python3
"""Writes the golden label PNGs for tiny.json with Pillow, from label arrays typed in by hand.

The arrays are what the cocostuffapi rule gives for tiny.json (pixel = category id, 0 unlabeled,
non-crowd annotations painted in file order, later wins, crowds left out); polygons cover the
pixels whose centres they contain, so a box with corners (0,0) and (3,2) covers x 0..2, y 0..1.
The arrays were checked against pycocotools (COCO.annToMask on tiny.json).
Run from this directory: python3 make_fixtures.py
"""
import os

import numpy as np
from PIL import Image

COCO_IDS = {
    "tiny_a": [[1, 1, 1, 0, 0],
               [1, 1, 3, 3, 3],
               [0, 0, 3, 3, 3],
               [0, 0, 3, 3, 3]],
    "tiny_b": [[0, 1, 1],
               [0, 1, 1],
               [0, 1, 1]],
}
# --labels contiguous: person (1) -> 1, car (3) -> 2; --crowd ignore: the crowd's 2 pixels -> 255.
CONTIGUOUS_CROWD_IGNORE = {
    "tiny_a": [[1, 1, 1, 0, 0],
               [1, 1, 2, 2, 2],
               [0, 0, 2, 2, 2],
               [255, 255, 2, 2, 2]],
    "tiny_b": [[0, 1, 1],
               [0, 1, 1],
               [0, 1, 1]],
}


def voc_palette():
    out = []
    for i in range(256):
        r = g = b = 0
        c = i
        for j in range(8):
            r |= (c & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        out += [r, g, b]
    return out


def main():
    for directory, maps, palette in (("golden-coco", COCO_IDS, False), ("golden-coco-voc", COCO_IDS, True),
                                     ("golden-contiguous-crowd-ignore", CONTIGUOUS_CROWD_IGNORE, False)):
        os.makedirs(directory, exist_ok=True)
        for stem, rows in maps.items():
            im = Image.fromarray(np.array(rows, dtype=np.uint8), mode="L")
            if palette:
                im = im.convert("P")
                im.putpalette(voc_palette())
                im.putdata(np.array(rows, dtype=np.uint8).flatten().tolist())
            im.save(os.path.join(directory, stem + ".png"))
    os.makedirs("bad", exist_ok=True)
    good = open(os.path.join("golden-coco", "tiny_a.png"), "rb").read()
    open(os.path.join("bad", "truncated.png"), "wb").write(good[:len(good) // 2])
    open(os.path.join("bad", "not-a-png.png"), "wb").write(b"GIF89a, not a PNG at all")


if __name__ == "__main__":
    main()

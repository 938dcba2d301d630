#!/usr/bin/env python3
"""`cococonvert preview` geometry on examples/coco-mini, checked with pycocotools masks and Pillow.

The sheet of the first 4 images (--tile 200 --columns 2 --no-pictures --kind semantic) must have:
  - the documented size: margin 8, cells of 200 px plus a 20 px caption strip, 8 px between cells;
  - each picture at its cell's top-left corner, scaled to fit 200×200 (rounded), with sheet paper
    (250,250,250) right of and below it inside the cell, and no paper inside it;
  - over every interior pixel of a mask (pycocotools `annToMask`, non-crowd annotations painted in file
    order, later wins; sampled nearest-neighbour at the tile's scale; away from outlines, boxes and
    labels) exactly the blend of the grey (64,64,64) with the VOC colour of the class's contiguous value
    (category order, 1...N), half and half, rounded.
And an image without annotations, drawn with --scale 1, must be its JPEG exactly as Pillow decodes it.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_support import ROOT, binary, check, finish  # noqa: E402

import numpy as np
from PIL import Image
from pycocotools.coco import COCO

WORK = os.environ.get("WORK") or "/tmp/preview_check"
ANN = os.path.join(ROOT, "examples", "coco-mini", "annotations", "instances_val2017.json")
MARGIN, CAPTION, TILE = 8, 20, 200
PAPER, GREY = (250, 250, 250), (64, 64, 64)


def voc_color(index):
    r = g = b = 0
    c = index
    for shift in range(7, -1, -1):
        r |= (c & 1) << shift
        g |= ((c >> 1) & 1) << shift
        b |= ((c >> 2) & 1) << shift
        c >>= 3
    return (r, g, b)


def main():
    os.makedirs(WORK, exist_ok=True)
    sheet_path = os.path.join(WORK, "sheet.png")
    r = subprocess.run([binary(), "preview", ANN, sheet_path, "--samples", "4", "--tile", str(TILE), "--columns", "2",
                        "--no-pictures", "--kind", "semantic"], capture_output=True, text=True)
    if not check(r.returncode == 0, f"preview exits 0: {r.returncode} {r.stderr}"):
        return
    sheet = np.array(Image.open(sheet_path).convert("RGB")).astype(int)
    check(sheet.shape == (MARGIN + 2 * (TILE + CAPTION + MARGIN), MARGIN + 2 * (TILE + MARGIN), 3),
          f"sheet size {sheet.shape[1]}x{sheet.shape[0]}")

    coco = COCO(ANN)
    value_of = {c["id"]: i + 1 for i, c in enumerate(coco.dataset["categories"])}
    checked = 0
    for index, image in enumerate(coco.dataset["images"][:4]):
        w, h = image["width"], image["height"]
        s = min(TILE / w, TILE / h)
        tw, th = max(1, round(w * s)), max(1, round(h * s))
        x0 = MARGIN + (index % 2) * (TILE + MARGIN)
        y0 = MARGIN + (index // 2) * (TILE + CAPTION + MARGIN)
        tile = sheet[y0:y0 + th, x0:x0 + tw]
        check(not np.all(tile == PAPER, axis=-1).any(), f"image {image['id']}: no paper inside its {tw}x{th} tile")
        if tw < TILE:
            check(np.all(sheet[y0:y0 + th, x0 + tw] == PAPER), f"image {image['id']}: paper right of the tile")
        if th < TILE:
            check(np.all(sheet[y0 + th, x0:x0 + tw] == PAPER), f"image {image['id']}: paper below the tile")

        # Instance and class maps as the painter's rule says, then sampled to the tile.
        instance = np.zeros((h, w), dtype=np.int32)
        klass = np.zeros((h, w), dtype=np.int32)
        boxes = []
        anns = [a for a in coco.loadAnns(coco.getAnnIds(imgIds=[image["id"]])) if not a["iscrowd"]]
        for k, ann in enumerate(anns, start=1):
            m = coco.annToMask(ann).astype(bool)
            instance[m] = k
            klass[m] = value_of[ann["category_id"]]
        sx = (np.arange(tw) * w) // tw
        sy = (np.arange(th) * h) // th
        inst_t = instance[np.ix_(sy, sx)]
        class_t = klass[np.ix_(sy, sx)]
        for k in range(1, len(anns) + 1):
            ys, xs = np.nonzero(instance == k)
            if len(xs):
                boxes.append((xs.min() * s, ys.min() * s, (xs.max() + 1) * s, (ys.max() + 1) * s))
        # Interior: the 3x3 neighbourhood is the same instance; away from box frames and the label strips.
        padded = np.pad(inst_t, 1, constant_values=-1)
        same = np.ones_like(inst_t, dtype=bool)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                same &= padded[1 + dy:1 + dy + th, 1 + dx:1 + dx + tw] == inst_t
        keep = same & (inst_t > 0)
        yy, xx = np.mgrid[0:th, 0:tw]
        for (bx0, by0, bx1, by1) in boxes:
            near_frame = ((abs(xx - bx0) <= 2) | (abs(xx - bx1) <= 2)) & (yy >= by0 - 2) & (yy <= by1 + 2)
            near_frame |= ((abs(yy - by0) <= 2) | (abs(yy - by1) <= 2)) & (xx >= bx0 - 2) & (xx <= bx1 + 2)
            label = (yy >= by0 - 11) & (yy <= by0 + 11) & (xx >= bx0 - 2)
            keep &= ~(near_frame | label)
        expected = np.zeros((th, tw, 3), dtype=int)
        for v in np.unique(class_t[keep]):
            c = voc_color(int(v))
            expected[class_t == v] = [int(np.floor(g * 0.5 + ch * 0.5 + 0.5)) for g, ch in zip(GREY, c)]
        bad = keep & np.any(tile != expected, axis=-1)
        check(keep.sum() > 300, f"image {image['id']}: {keep.sum()} interior mask pixels to check")
        check(bad.sum() == 0, f"image {image['id']}: {bad.sum()} of {keep.sum()} interior mask pixels have the wrong colour")
        checked += int(keep.sum())
    print(f"preview geometry: 4 tiles, {checked} interior mask pixels checked")


def jpeg_check():
    """An image without annotations at --scale 1 is its picture, pixel for pixel as Pillow decodes it."""
    real = os.path.join(os.environ.get("SHARED", os.path.join(ROOT, "..", "shared")), "data", "coco-real", "instances")
    ann = os.path.join(real, "annotations", "instances_val2017.json")
    coco = COCO(ann)
    bare = [i for i in coco.dataset["images"] if not coco.getAnnIds(imgIds=[i["id"]])]
    if not check(bare, "coco-real val2017 has an image without annotations"):
        return
    image = bare[0]
    out = os.path.join(WORK, "bare.png")
    r = subprocess.run([binary(), "preview", ann, out, "--ids", str(image["id"]), "--scale", "1"], capture_output=True, text=True)
    if not check(r.returncode == 0, f"preview of image {image['id']} exits 0: {r.stderr}"):
        return
    sheet = np.array(Image.open(out).convert("RGB")).astype(int)
    tile = sheet[MARGIN:MARGIN + image["height"], MARGIN:MARGIN + image["width"]]
    pillow = np.array(Image.open(os.path.join(real, "val2017", image["file_name"])).convert("RGB")).astype(int)
    check(tile.shape == pillow.shape, f"tile {tile.shape}, picture {pillow.shape}")
    if tile.shape == pillow.shape:
        diff = np.abs(tile - pillow)
        check(diff.max() == 0, f"image {image['id']}: libjpeg-turbo through CJPEGShim vs Pillow: max difference {diff.max()}, "
                               f"{int((diff > 0).any(axis=-1).sum())} pixels differ")
    print(f"JPEG: image {image['id']} ({image['width']}x{image['height']}) decoded as Pillow decodes it")


main()
jpeg_check()
finish()

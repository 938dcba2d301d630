#!/usr/bin/env python3
"""Interop check: PNG label maps compressed by cococonvert's own deflate encoder (the default for
label maps), read back by Python's zlib, Pillow and a chunk-level PNG parser.

Usage: python3 Tests/interop/labelmap_deflate_check.py [path/to/cococonvert]
(default: $COCOCONVERT, else .build/debug/cococonvert, else .build/release/cococonvert).

A synthetic COCO file with edge-case shapes (1x1, 1xN, Nx1, rows wider than deflate's 32 KiB window,
runs of exactly 2/3/258/259 pixels, identical rows, noise-like stripes, 8-bit semantic and 16-bit
instance maps) is converted by the built binary. Every PNG must
- have valid chunk CRCs, IHDR first, IDAT data that zlib.decompress inflates with a correct Adler-32
  and nothing left over, filter type 0 on every row;
- decode in Pillow to the same pixels;
- equal the label map painted from pycocotools masks (annToMask order, later annotations on top).
Prints 'N passed, M failed' and exits non-zero on any failure.
"""
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np
from PIL import Image
from pycocotools import mask as mask_utils

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from interop_support import binary, check, finish
from interop_support import run_convert as run


def rect(x0, y0, x1, y1):
    """A rectangle polygon covering pixel columns x0..x1-1 and rows y0..y1-1 (pycocotools decides)."""
    return [[x0, y0, x1, y0, x1, y1, x0, y1]]


def images():
    """(file stem, width, height, [(segmentation, category)]) with the shapes that stress the encoder."""
    rng = random.Random(1234)
    out = [("one", 1, 1, [(rect(0, 0, 1, 1), 5)]),
           ("empty", 7, 5, []),
           ("column", 1, 300, [(rect(0, 10 * k, 1, 10 * k + 5), 1 + k % 3) for k in range(30)]),
           ("row", 300, 1, [(rect(10 * k, 0, 10 * k + 5, 1), 1 + k % 3) for k in range(30)])]
    # Runs of exactly n pixels next to each other, on rows repeated a few times.
    for n in (2, 3, 4, 257, 258, 259, 260, 516):
        shapes = [(rect(1 + i * n, 0, 1 + (i + 1) * n, 4 + i % 3), 1 + i % 2) for i in range(3)]
        out.append((f"runs{n}", 3 * n + 5, 8, shapes))
    # Rows wider than the 32 KiB window: the row above is out of reach.
    out.append(("wide", 40000, 4, [(rect(100, 0, 33000, 2), 7), (rect(20000, 1, 39990, 4), 9)]))
    # Stripes two pixels wide: a symbol every two bytes, several deflate blocks.
    out.append(("stripes", 1000, 120, [(rect(x, 0, x + 2, 120), 1 + (x // 4) % 5) for x in range(0, 1000, 4)]))
    # A typical label map: overlapping rectangles of random size.
    for k in range(6):
        w, h = rng.randint(200, 700), rng.randint(150, 500)
        shapes = []
        for _ in range(rng.randint(1, 40)):
            x0, y0 = rng.randint(0, w - 1), rng.randint(0, h - 1)
            x1, y1 = rng.randint(x0 + 1, min(w, x0 + w // 2 + 1)), rng.randint(y0 + 1, min(h, y0 + h // 2 + 1))
            shapes.append((rect(x0, y0, x1, y1), rng.randint(1, 90)))
        out.append((f"random{k}", w, h, shapes))
    return out


def coco_file(path, entries):
    imgs, anns, cats = [], [], set()
    aid = 1
    for i, (stem, w, h, shapes) in enumerate(entries, start=1):
        imgs.append({"id": i, "file_name": stem + ".jpg", "width": w, "height": h})
        for seg, cat in shapes:
            xs, ys = seg[0][0::2], seg[0][1::2]
            anns.append({"id": aid, "image_id": i, "category_id": cat, "iscrowd": 0, "segmentation": seg,
                         "area": float((max(xs) - min(xs)) * (max(ys) - min(ys))),
                         "bbox": [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]})
            aid += 1
            cats.add(cat)
    with open(path, "w") as fh:
        json.dump({"images": imgs, "annotations": anns,
                   "categories": [{"id": c, "name": f"c{c}"} for c in sorted(cats)]}, fh)


def mask_of(seg, w, h):
    return mask_utils.decode(mask_utils.merge(mask_utils.frPyObjects(seg, h, w))).astype(bool)


def parse_png(path, what):
    """Chunk-level decode with zlib: returns (width, height, bit depth, colour type, pixel array)."""
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", f"{what}: signature")
    pos, chunks = 8, []
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        check(zlib.crc32(kind + body) == crc, f"{what}: CRC of {kind!r}")
        chunks.append((kind, body))
        pos += 12 + length
    check(pos == len(data), f"{what}: no bytes after the last chunk")
    kinds = [k for k, _ in chunks]
    check(kinds[0] == b"IHDR" and kinds[-1] == b"IEND", f"{what}: IHDR first, IEND last ({kinds})")
    idat_at = [i for i, k in enumerate(kinds) if k == b"IDAT"]
    check(idat_at == list(range(idat_at[0], idat_at[0] + len(idat_at))), f"{what}: IDAT chunks consecutive")
    w, h, depth, color, comp, filt, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    check(comp == 0 and filt == 0 and interlace == 0, f"{what}: IHDR methods")
    stream = b"".join(body for k, body in chunks if k == b"IDAT")
    d = zlib.decompressobj()
    try:
        raw = d.decompress(stream)   # raises on a bad Adler-32 or a corrupt stream
        ok = d.eof and d.unused_data == b""
    except zlib.error as e:
        check(False, f"{what}: zlib: {e}")
        return None
    check(ok, f"{what}: zlib stream complete, Adler-32 correct, nothing after it")
    bpp = depth // 8
    stride = 1 + w * bpp
    check(len(raw) == h * stride, f"{what}: {len(raw)} inflated bytes, {h * stride} expected")
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(h, stride)
    check((rows[:, 0] == 0).all(), f"{what}: filter type 0 on every row")
    px = rows[:, 1:]
    if bpp == 2:
        px = px.reshape(h, w, 2).astype(np.int64)
        px = px[..., 0] * 256 + px[..., 1]
    return w, h, depth, color, px.astype(np.int64)


def check_dir(out, entries, expected_of, depth_of, name):
    for stem, w, h, shapes in entries:
        path = os.path.join(out, stem + ".png")
        what = f"{name}/{stem}"
        if not os.path.exists(path):
            check(False, f"{what}: missing")
            continue
        parsed = parse_png(path, what)
        if parsed is None:
            continue
        pw, ph, depth, color, px = parsed
        want = expected_of(shapes, w, h)
        check((pw, ph) == (w, h), f"{what}: size")
        check(depth == depth_of(want), f"{what}: bit depth {depth}")
        check(px.shape == want.shape and (px == want).all(), f"{what}: zlib-decoded pixels differ from pycocotools")
        got = np.asarray(Image.open(path)).astype(np.int64)
        check(got.shape == want.shape and (got == want).all(), f"{what}: Pillow-decoded pixels differ")


def semantic(shapes, w, h):
    m = np.zeros((h, w), dtype=np.int64)
    for seg, cat in shapes:
        m[mask_of(seg, w, h)] = cat
    return m


def instance(shapes, w, h):
    m = np.zeros((h, w), dtype=np.int64)
    for k, (seg, _) in enumerate(shapes, start=1):
        m[mask_of(seg, w, h)] = k if k < 255 else k + 1   # 255 (ignore) is never an instance value
    return m


def main():
    entries = images()
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "edge.json")
        coco_file(src, entries)
        out = os.path.join(tmp, "semantic")
        ok = run("--from", "coco", "--to", "png", "--labels", "coco", "--crowd", "skip", "--overlap", "later", src, out)
        check(ok, "convert edge cases, semantic")
        if ok:
            check_dir(out, entries, semantic, lambda m: 8, "semantic")

        # 16-bit: 300+ instances per image (same shapes as stripes, thinner).
        many = [("many16", 1200, 90, [(rect(x, (x // 4) % 30, x + 3, 90 - (x // 8) % 20), 1) for x in range(0, 1200, 4)]),
                ("wide16", 16500, 3, [(rect(x, 0, x + 50, 3), 1) for x in range(0, 16500, 51)])]
        src16 = os.path.join(tmp, "many.json")
        coco_file(src16, many)
        out16 = os.path.join(tmp, "instance")
        ok = run("--from", "coco", "--to", "png", "--kind", "instance", "--overlap", "later", src16, out16)
        check(ok, "convert edge cases, 16-bit instance")
        if ok:
            check_dir(out16, many, instance, lambda m: 16 if m.max() > 255 else 8, "instance")
    finish()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Interop check: PNG label maps written by the built `cococonvert` binary, opened with Pillow.

Usage: python3 Tests/interop/pillow_check.py [path/to/cococonvert]
(default: $COCOCONVERT, else .build/debug/cococonvert, else .build/release/cococonvert).

Checks: Pillow mode 'L' for gray maps, 'P' for palette maps (VOC colormap), 'I;16'/'I' for 16-bit maps,
'RGB' for panoptic ids; pixel values against the pycocotools oracle (../shared/data/coco-real/oracle_semantic)
and against expected synthetic values. Prints 'N passed, M failed' and exits non-zero on any failure.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(os.path.dirname(ROOT), "shared", "data", "coco-real")
ORACLE = os.path.join(DATA, "oracle_semantic")

from interop_support import binary, check, finish
from interop_support import run_convert as run


def voc_colormap():
    cmap = []
    for i in range(256):
        r = g = b = 0
        c = i
        for j in range(8):
            r |= (c & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        cmap.append((r, g, b))
    return cmap


def oracle_semantic(tmp):
    """--labels coco --crowd skip --overlap later, gray and VOC palette, against the oracle."""
    files = [("instances/annotations/instances_val2017.json", "instances_val2017"),
             ("instances/annotations/instances_train2017.json", "instances_train2017"),
             ("stuff/annotations/stuff_train2017.json", "stuff_train2017")]
    cmap = voc_colormap()
    for src, name in files:
        for palette, mode in (("none", "L"), ("voc", "P")):
            out = os.path.join(tmp, f"{name}-{palette}")
            ok = run("--from", "coco", "--to", "png", "--labels", "coco", "--crowd", "skip", "--overlap", "later",
                     "--palette", palette, os.path.join(DATA, src), out)
            check(ok, f"convert {src} --palette {palette}")
            if not ok:
                continue
            for f in sorted(os.listdir(os.path.join(ORACLE, name))):
                im = Image.open(os.path.join(out, f))
                check(im.mode == mode, f"{name}/{f} mode {im.mode} != {mode}")
                got = np.asarray(im)
                want = np.asarray(Image.open(os.path.join(ORACLE, name, f)))
                check(got.shape == want.shape and (got == want).all(), f"{name}/{f} pixels differ from the oracle")
                if mode == "P":
                    pal = im.getpalette()
                    used = [int(v) for v in np.unique(got)]
                    check(all(tuple(pal[3 * v:3 * v + 3]) == cmap[v] for v in used), f"{name}/{f} palette is not VOC")


def instance_16bit(tmp):
    """An image with 300 instances must be a 16-bit PNG that Pillow reads exactly."""
    w, h = 60, 50
    anns = []
    expected = np.zeros((h, w), dtype=np.int64)
    k = 0
    for y in range(0, h, 3):
        for x in range(0, w, 3):
            if k == 300:
                break
            k += 1
            anns.append({"id": 1000 + k, "image_id": 1, "category_id": 1 + k % 3, "iscrowd": 0,
                         "segmentation": [[x, y, x + 2, y, x + 2, y + 2, x, y + 2]], "area": 4.0, "bbox": [x, y, 2, 2]})
            expected[y:y + 2, x:x + 2] = k if k < 255 else k + 1  # 255 (ignore) is never an instance value
    coco = {"images": [{"id": 1, "file_name": "many.jpg", "width": w, "height": h}], "annotations": anns,
            "categories": [{"id": i, "name": f"c{i}"} for i in (1, 2, 3)]}
    src = os.path.join(tmp, "many.json")
    with open(src, "w") as fh:
        json.dump(coco, fh)
    out = os.path.join(tmp, "many-instance")
    ok = run("--from", "coco", "--to", "png", "--kind", "instance", src, out)
    check(ok, "convert 300-instance image")
    if not ok:
        return
    im = Image.open(os.path.join(out, "many.png"))
    check(im.mode in ("I;16", "I", "I;16B"), f"300 instances: mode {im.mode} is not 16-bit")
    got = np.asarray(im).astype(np.int64)
    check(got.shape == expected.shape and (got == expected).all(), "300 instances: pixel values")
    labels = json.load(open(os.path.join(out, "labels.json")))
    inst = labels["images"][0]["instances"]
    check(len(inst) == 300 and inst[0][:2] == [1, 2] and inst[-1][0] == 301, "300 instances: labels.json list")


def panoptic(tmp):
    """--kind panoptic writes RGB ids whose pixel counts match panoptic.json areas."""
    out = os.path.join(tmp, "pan")
    ok = run("--from", "coco", "--to", "png", "--kind", "panoptic", "--labels", "coco",
             os.path.join(DATA, "instances/annotations/instances_val2017.json"), out)
    check(ok, "convert --kind panoptic")
    if not ok:
        return
    pan = json.load(open(os.path.join(out, "panoptic.json")))
    check(len(pan["images"]) == len(pan["annotations"]) == 60, "panoptic.json images/annotations")
    for ann in pan["annotations"]:
        im = Image.open(os.path.join(out, ann["file_name"]))
        check(im.mode == "RGB", f"{ann['file_name']} mode {im.mode}")
        a = np.asarray(im).astype(np.int64)
        ids = a[..., 0] + 256 * a[..., 1] + 65536 * a[..., 2]
        for s in ann["segments_info"]:
            ys, xs = np.nonzero(ids == s["id"])
            ok = len(ys) == s["area"] and s["bbox"] == [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]
            check(ok, f"{ann['file_name']} segment {s['id']} area/bbox")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        oracle_semantic(tmp)
        instance_16bit(tmp)
        panoptic(tmp)
    finish()


if __name__ == "__main__":
    main()

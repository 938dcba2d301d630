#!/usr/bin/env python3
"""Ultralytics (the peer's own dataset code) on cococonvert's default YOLO output, and exactness.

1. `coco2yolo` (defaults: segmentation, contiguous class ids, crowds left out) of each instances file of
   $SHARED/data/coco-real; Ultralytics' `check_det_dataset` accepts data.yaml, and its
   `verify_image_label` (the function behind its label cache) finds every label: 0 missing, 0 corrupt.
   The polygons it loads (float32, normalised), scaled back by the image size and rasterised by
   pycocotools, equal the source masks (the count of exact ones is printed).
2. `yolo2coco` of that output restores every non-crowd instance: same category id, mask identical
   under pycocotools.
3. A dataset Ultralytics' own `convert_coco(use_segments=True)` wrote from the same file (with the
   images linked in) is read by `yolo2coco`: every image and every label line comes through.

Skips (exit 0, with a message) only when `import ultralytics` fails; `./dev setup` installs it.
"""
import contextlib
import io
import json
import logging
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_support import check, finish, run_convert  # noqa: E402

try:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        from ultralytics.data.converter import convert_coco
        from ultralytics.data.utils import check_det_dataset, verify_image_label
except Exception as error:  # noqa: BLE001
    print(f"SKIP: ultralytics cannot be imported ({error}); pip install ultralytics")
    print("0 passed, 0 failed")
    sys.exit(0)

import numpy as np
from pycocotools import mask as maskUtils
from pycocotools.coco import COCO

logging.getLogger("ultralytics").setLevel(logging.ERROR)

SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
WORK = os.environ.get("WORK") or "/tmp/yolo_check"
REAL = os.path.join(SHARED, "data", "coco-real", "instances")


def quiet_coco(path):
    with contextlib.redirect_stdout(io.StringIO()):
        return COCO(path)


def rle_of(polygon_pixels, h, w):
    return maskUtils.merge(maskUtils.frPyObjects([list(map(float, polygon_pixels))], h, w))


def equal(a, b):
    return maskUtils.area(maskUtils.merge([a, b], intersect=False)) == maskUtils.area(a) == maskUtils.area(b)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    totals = {"loaded": 0, "loaded_exact": 0, "round_trip": 0, "round_trip_exact": 0}
    for split in ("val2017", "train2017"):
        source = os.path.join(REAL, "annotations", f"instances_{split}.json")
        if not os.path.exists(source):
            continue
        coco = quiet_coco(source)
        out = os.path.join(WORK, f"yolo-{split}")
        if not check(run_convert("--from", "coco", "--to", "yolo", source, out, "--images", os.path.join(REAL, split)),
                     f"coco2yolo {split}"):
            continue

        # 1. Ultralytics' checker and label verification.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            data = check_det_dataset(os.path.join(out, "data.yaml"))
        check(len(data["names"]) == len(coco.getCatIds()), f"{split}: data.yaml names {len(data['names'])}")
        images_dir = os.path.join(out, "images", split)
        by_name = {img["file_name"]: img for img in coco.dataset["images"]}
        for name in sorted(os.listdir(images_dir)):
            image = os.path.join(images_dir, name)
            label = os.path.join(out, "labels", split, os.path.splitext(name)[0] + ".txt")
            result = verify_image_label((image, label, "", False, len(data["names"]), 0, 0, False))
            _, lb, shape, segments, _, nm, nf, ne, nc, msg = result
            check(nm == 0 and nc == 0, f"{split}/{name}: Ultralytics says missing={nm} corrupt={nc} {msg}")
            if lb is None:
                continue
            img = by_name[name]
            h, w = img["height"], img["width"]
            check(tuple(shape) == (h, w), f"{split}/{name}: shape {shape} vs {(h, w)}")
            anns = [a for a in coco.loadAnns(coco.getAnnIds(imgIds=[img["id"]])) if not a.get("iscrowd", 0)]
            anns = [a for a in anns if maskUtils.area(coco.annToRLE(a)) > 0]
            if not check(len(segments) == len(anns), f"{split}/{name}: {len(segments)} segments for {len(anns)} objects"):
                continue
            for ann, segment in zip(anns, segments):
                pixels = (segment.astype(np.float64) * np.array([w, h])).reshape(-1)
                totals["loaded"] += 1
                if equal(rle_of(pixels, h, w), coco.annToRLE(ann)):
                    totals["loaded_exact"] += 1

        # 2. yolo → coco restores every non-crowd instance.
        back = os.path.join(WORK, f"back-{split}.json")
        if check(run_convert("--from", "yolo", "--to", "coco", out, back), f"yolo2coco {split}"):
            again = quiet_coco(back)
            back_by_name = {img["file_name"]: img for img in again.dataset["images"]}
            for img in coco.dataset["images"]:
                other = back_by_name.get(img["file_name"])
                if not check(other is not None, f"{split}: {img['file_name']} missing after the round trip"):
                    continue
                check(other["id"] == img["id"], f"{split}/{img['file_name']}: image id {other['id']} vs {img['id']}")
                anns = [a for a in coco.loadAnns(coco.getAnnIds(imgIds=[img["id"]])) if not a.get("iscrowd", 0)]
                anns = [a for a in anns if maskUtils.area(coco.annToRLE(a)) > 0]
                mine = again.loadAnns(again.getAnnIds(imgIds=[other["id"]]))
                if not check(len(mine) == len(anns), f"{split}/{img['file_name']}: {len(mine)} vs {len(anns)} objects"):
                    continue
                for a, b in zip(anns, mine):
                    totals["round_trip"] += 1
                    same = a["category_id"] == b["category_id"] and equal(coco.annToRLE(a), again.annToRLE(b))
                    if check(same, f"{split}: annotation {a['id']} changed in coco → yolo → coco"):
                        totals["round_trip_exact"] += 1

        # 3. A tree written by Ultralytics' own converter.
        theirs = os.path.join(WORK, f"ultralytics-{split}")
        annotations_only = os.path.join(WORK, f"annotations-{split}")
        os.makedirs(annotations_only)
        shutil.copy(source, annotations_only)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            convert_coco(labels_dir=annotations_only, save_dir=theirs, use_segments=True)
        label_dir = os.path.join(theirs, "labels", split)
        if not check(os.path.isdir(label_dir), f"convert_coco wrote no {label_dir}"):
            continue
        image_dir = os.path.join(theirs, "images", split)
        os.makedirs(image_dir, exist_ok=True)
        for name in os.listdir(os.path.join(REAL, split)):
            os.symlink(os.path.join(REAL, split, name), os.path.join(image_dir, name))
        lines = sum(1 for f in os.listdir(label_dir) for line in open(os.path.join(label_dir, f)) if line.strip())
        read = os.path.join(WORK, f"from-ultralytics-{split}.json")
        if check(run_convert("--from", "yolo", "--to", "coco", theirs, read, "--split", split),
                 f"yolo2coco on Ultralytics' convert_coco output ({split})"):
            result = json.load(open(read))
            check(len(result["images"]) == len(os.listdir(image_dir)), f"{split}: {len(result['images'])} images read")
            check(len(result["annotations"]) == lines, f"{split}: {len(result['annotations'])} of {lines} label lines read")

    print(f"polygons as Ultralytics loads them (float32) rasterise exactly: {totals['loaded_exact']}/{totals['loaded']}")
    print(f"coco → yolo → coco exact (category and mask): {totals['round_trip_exact']}/{totals['round_trip']}")
    check(totals["loaded"] > 0 and totals["loaded_exact"] >= 0.999 * totals["loaded"], "Ultralytics-loaded polygons exact ≥ 99.9%")
    finish()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Checks COCO JSON written by `cococonvert coco2coco` with pycocotools, json and Pillow.

Reads the environment variables COCOCONVERT (the binary), SHARED (../shared) and WORK (scratch).
For every COCO file of $SHARED/data/coco-real:
  - `--segmentation rle --recompute`: pycocotools loads the output (COCO() for files with images,
    json for results lists); for every annotation, the output's compressed RLE decodes (mask.decode)
    to exactly the mask pycocotools makes from the input annotation (annToMask; for panoptic input the
    PNG pixels equal to the segment id), and `area`/`bbox` equal mask.area/mask.toBbox of that mask;
  - `--segmentation keep`: the output is semantically equal to the input (same top-level members,
    images, categories; annotations equal by id, results as a multiset; panoptic PNGs pixel-equal).
Prints 'N passed, M failed' and exits non-zero when anything failed.
"""
import json
import os
import subprocess
import sys

import numpy as np
from PIL import Image
from pycocotools import mask as maskUtils
from pycocotools.coco import COCO

BIN = os.environ.get("COCOCONVERT", "cococonvert")
SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
WORK = os.environ.get("WORK", "/tmp/coco_check")
REAL = os.path.join(SHARED, "data", "coco-real")
FILES = [
    "instances/annotations/instances_val2017.json",
    "instances/annotations/instances_train2017.json",
    "stuff/annotations/stuff_train2017.json",
    "panoptic/annotations/panoptic_val2017.json",
    "panoptic/annotations/panoptic_val2017_detection_format.json",
    "results/instances_val2014_fakesegm100_results.json",
]
from interop_support import check, finish


def run(args):
    proc = subprocess.run([BIN] + args, capture_output=True, text=True)
    check(proc.returncode == 0, "cococonvert %s: exit %d %s" % (" ".join(args), proc.returncode, proc.stderr[-400:]))
    return proc.returncode == 0


def same(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return a == b
    return a == b


def input_masks(name, data):
    """(key, mask) per input annotation, key = id, or (image_id, k) for results and panoptic."""
    path = os.path.join(REAL, name)
    out = []
    if isinstance(data, list):
        seen = {}
        for a in data:
            h, w = a["segmentation"]["size"]
            k = seen.get(a["image_id"], 0)
            seen[a["image_id"]] = k + 1
            out.append(((a["image_id"], k), maskUtils.decode(a["segmentation"])))
        return out
    if any("segments_info" in a for a in data["annotations"]):
        png_dir = path[:-5]
        for record in data["annotations"]:
            rgb = np.asarray(Image.open(os.path.join(png_dir, record["file_name"])).convert("RGB"), dtype=np.uint32)
            ids = rgb[..., 0] + 256 * rgb[..., 1] + 65536 * rgb[..., 2]
            for k, s in enumerate(record["segments_info"]):
                out.append(((record["image_id"], k), (ids == s["id"]).astype(np.uint8)))
        return out
    coco = COCO(path)
    for a in data["annotations"]:
        out.append((a["id"], coco.annToMask(a)))
    return out


def output_annotations(name, out_data):
    """key -> output annotation, keyed like input_masks."""
    if isinstance(out_data, list) or name == "panoptic/annotations/panoptic_val2017.json":
        records = out_data if isinstance(out_data, list) else out_data["annotations"]
        seen, keyed = {}, {}
        for a in records:
            k = seen.get(a["image_id"], 0)
            seen[a["image_id"]] = k + 1
            keyed[(a["image_id"], k)] = a
        return keyed
    return {a["id"]: a for a in out_data["annotations"]}


def check_rle(name):
    src = os.path.join(REAL, name)
    dst = os.path.join(WORK, name.replace("/", "_").replace(".json", "_rle.json"))
    # Results lists keep their fields under --recompute (COCOeval, see cocoeval_check.py): ask per field.
    per_field = ["--recompute-results", "area,bbox"] if name.startswith("results/") else []
    if not run(["coco2coco", src, dst, "--segmentation", "rle", "--recompute", "-q"] + per_field):
        return
    data = json.load(open(src))
    out_data = json.load(open(dst))
    if not isinstance(out_data, list):
        COCO(dst)  # pycocotools accepts the file
    outputs = output_annotations(name, out_data)
    for key, mask in input_masks(name, data):
        a = outputs.get(key)
        check(a is not None, "%s: annotation %s missing" % (name, key))
        if a is None:
            continue
        seg = a["segmentation"]
        ok = isinstance(seg.get("counts"), str)
        check(ok, "%s %s: counts is not a string" % (name, key))
        if not ok:
            continue
        rle = {"size": seg["size"], "counts": seg["counts"].encode("ascii")}
        check(np.array_equal(maskUtils.decode(rle), mask), "%s %s: mask differs" % (name, key))
        ref = maskUtils.encode(np.asfortranarray(mask))
        check(a["area"] == float(maskUtils.area(ref)), "%s %s: area %s vs %s" % (name, key, a["area"], maskUtils.area(ref)))
        check(list(a["bbox"]) == list(maskUtils.toBbox(ref)), "%s %s: bbox %s vs %s" % (name, key, a["bbox"], maskUtils.toBbox(ref)))


def check_keep(name):
    src = os.path.join(REAL, name)
    dst = os.path.join(WORK, name.replace("/", "_").replace(".json", "_keep.json"))
    if not run(["coco2coco", src, dst, "-q"]):
        return
    a = json.load(open(src))
    b = json.load(open(dst))
    if isinstance(a, list):
        canon = lambda xs: sorted(json.dumps(x, sort_keys=True) for x in xs)
        check(isinstance(b, list) and len(a) == len(b), "%s: results count" % name)
        check(same(sorted(a, key=lambda x: json.dumps(x, sort_keys=True)),
                   sorted(b, key=lambda x: json.dumps(x, sort_keys=True))) or canon(a) == canon(b), "%s: results differ" % name)
        return
    check(a.keys() == b.keys(), "%s: top-level keys %s vs %s" % (name, sorted(a), sorted(b)))
    for key in a:
        if key == "annotations":
            continue
        check(same(a[key], b.get(key)), "%s: %s differs" % (name, key))
    if name == "panoptic/annotations/panoptic_val2017.json":
        check(same(a["annotations"], b["annotations"]), "%s: annotations differ" % name)
        for record in a["annotations"]:
            x = np.asarray(Image.open(os.path.join(src[:-5], record["file_name"])).convert("RGB"))
            y = np.asarray(Image.open(os.path.join(dst[:-5], record["file_name"])).convert("RGB"))
            check(np.array_equal(x, y), "%s: PNG %s differs" % (name, record["file_name"]))
        return
    by_id = {x["id"]: x for x in b["annotations"]}
    check(len(by_id) == len(a["annotations"]), "%s: annotation count" % name)
    for x in a["annotations"]:
        check(same(x, by_id.get(x["id"])), "%s: annotation %s differs" % (name, x["id"]))


def main():
    os.makedirs(WORK, exist_ok=True)
    for name in FILES:
        check_rle(name)
        check_keep(name)
    finish()


if __name__ == "__main__":
    main()

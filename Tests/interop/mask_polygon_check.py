#!/usr/bin/env python3
"""Checks mask → polygon tracing (`coco2coco --segmentation polygon`) with pycocotools' own rasteriser.

Reads the environment variables COCOCONVERT (the binary), SHARED (../shared) and WORK (scratch).
For every COCO file of $SHARED/data/coco-real (instances polygons and crowd RLE, stuff RLE, panoptic
segments; results lists keep their RLE masks, which is checked too):
  - `--segmentation rle`, then `--segmentation polygon --crowd-polygons` on that (so polygon sources are
    traced too): every annotation with a non-empty mask is written as
    polygons; pycocotools rasterises them (frPyObjects + merge + decode) at the source size and the result
    must equal pycocotools' mask of the input annotation. Prints the exact count / total and lists any
    that differ.
  - the same with `--simplify 1`: prints the mean IoU and the vertex counts beside the exact polygons;
    every annotation must still be polygons and the mean IoU must be at least 0.99.
  - cv2.findContours (RETR_EXTERNAL, CHAIN_APPROX_NONE, contour points used as polygon coordinates, as
    Datumaro, supervision and Ultralytics do) on the same masks, rasterised the same way: its exact count
    and mean IoU are printed beside ours (skipped with a message when cv2 is not installed).
Prints 'N passed, M failed' and exits non-zero when anything failed.
"""
import json
import os
import subprocess
import sys

import numpy as np
from pycocotools import mask as maskUtils

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_support import check, finish  # noqa: E402
from coco_check import BIN, FILES, REAL, WORK, input_masks, output_annotations  # noqa: E402

try:
    import cv2
except ImportError:  # optional
    cv2 = None


def run(args):
    proc = subprocess.run([BIN] + args, capture_output=True, text=True)
    check(proc.returncode == 0, "cococonvert %s: exit %d %s" % (" ".join(args), proc.returncode, proc.stderr[-400:]))
    return proc.returncode == 0


def rasterise(polygons, h, w):
    polygons = [p for p in polygons if len(p) >= 6]
    if not polygons:
        return np.zeros((h, w), dtype=np.uint8)
    return maskUtils.decode(maskUtils.merge(maskUtils.frPyObjects(polygons, h, w)))


def iou(a, b):
    union = np.logical_or(a, b).sum()
    return 1.0 if union == 0 else float(np.logical_and(a, b).sum()) / float(union)


def convert(name, extra):
    """Every mask goes through the tracer: the source is first written as RLE (polygon sources would
    otherwise stay as they are), then that file is converted with --segmentation polygon."""
    src = os.path.join(REAL, name)
    rle = os.path.join(WORK, name.replace("/", "_").replace(".json", "_rle.json"))
    if not os.path.exists(rle) and not run(["coco2coco", src, rle, "--segmentation", "rle", "-q"]):
        return None
    tag = "_".join(x.strip("-") for x in extra) or "exact"
    dst = os.path.join(WORK, name.replace("/", "_").replace(".json", "_polygon_%s.json" % tag))
    if not run(["coco2coco", rle, dst, "--segmentation", "polygon", "--crowd-polygons", "-q"] + extra):
        return None
    return output_annotations(name, json.load(open(dst)))


def main():
    os.makedirs(WORK, exist_ok=True)
    total = exact = 0
    differing = []
    simple_ious, simple_vertices, exact_vertices = [], 0, 0
    cv_ious, cv_exact, cv_vertices = [], 0, 0
    kept_results = [0]
    for name in FILES:
        data = json.load(open(os.path.join(REAL, name)))
        masks = input_masks(name, data)
        exact_out = convert(name, [])
        simple_out = convert(name, ["--simplify", "1"])
        if exact_out is None or simple_out is None:
            continue
        for key, mask in masks:
            h, w = mask.shape
            total += 1
            a, s = exact_out.get(key), simple_out.get(key)
            if not check(a is not None and s is not None, "%s: annotation %s missing" % (name, key)):
                continue
            if mask.sum() == 0:  # empty masks stay RLE
                exact += 1
                continue
            if isinstance(data, list):
                # A results list keeps its RLE masks (pycocotools' loadRes measures results as RLE).
                total -= 1
                kept_results[0] += 1
                check(isinstance(a["segmentation"], dict), "%s %s: a result's mask was not kept as RLE" % (name, key))
                continue
            seg = a["segmentation"]
            if not check(isinstance(seg, list), "%s %s: not polygons" % (name, key)):
                continue
            back = rasterise(seg, h, w)
            if np.array_equal(back, mask):
                exact += 1
            else:
                differing.append("%s %s: %d pixels differ" % (name, key, int((back != mask).sum())))
            exact_vertices += sum(len(p) // 2 for p in seg)
            sseg = s["segmentation"]
            if check(isinstance(sseg, list), "%s %s: simplified not polygons" % (name, key)):
                simple_ious.append(iou(rasterise(sseg, h, w), mask))
                simple_vertices += sum(len(p) // 2 for p in sseg)
            if cv2 is not None:
                contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
                polys = [c.reshape(-1).astype(float).tolist() for c in contours if len(c) >= 3]
                cv_back = rasterise(polys, h, w)
                cv_ious.append(iou(cv_back, mask))
                cv_exact += int(np.array_equal(cv_back, mask))
                cv_vertices += sum(len(p) // 2 for p in polys)
    # Label planes: voc2coco of the VOC fixture with --segmentation polygon against --segmentation rle.
    voc = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "formats", "voc", "devkit")
    if os.path.isdir(voc):
        poly_path, rle_path = os.path.join(WORK, "voc_polygon.json"), os.path.join(WORK, "voc_rle.json")
        if run(["voc2coco", voc, poly_path, "--segmentation", "polygon", "-q"]) and \
                run(["voc2coco", voc, rle_path, "--segmentation", "rle", "-q"]):
            poly, rle = json.load(open(poly_path)), json.load(open(rle_path))
            sizes = {i["id"]: (i["height"], i["width"]) for i in poly["images"]}
            voc_exact = 0
            for a, b in zip(poly["annotations"], rle["annotations"]):
                mask = maskUtils.decode(b["segmentation"])
                ok = isinstance(a["segmentation"], list) and np.array_equal(rasterise(a["segmentation"], *sizes[a["image_id"]]), mask)
                voc_exact += int(ok)
                check(ok, "voc2coco annotation %s: traced polygons differ from the label map" % a.get("id"))
            print("voc2coco --segmentation polygon: %d / %d label-map instances exact" % (voc_exact, len(poly["annotations"])))
    print("exact (--simplify 0): %d / %d annotations re-rasterise to the source mask with pycocotools" % (exact, total))
    print("results lists: %d masks kept as RLE" % kept_results[0])
    for line in differing:
        print("  differs:", line)
    check(total > 0 and exact >= 0.999 * total, "exact rate %d/%d below 99.9%%" % (exact, total))
    if simple_ious:
        mean = sum(simple_ious) / len(simple_ious)
        print("--simplify 1: mean IoU %.4f, min %.4f; vertices %d (exact %d, %.1f%%)"
              % (mean, min(simple_ious), simple_vertices, exact_vertices, 100.0 * simple_vertices / max(exact_vertices, 1)))
        check(mean >= 0.99, "--simplify 1 mean IoU %.4f" % mean)
    if cv2 is None:
        print("cv2 not installed: skipping the cv2.findContours comparison (pip install opencv-python-headless)")
    elif cv_ious:
        print("cv2.findContours (RETR_EXTERNAL, CHAIN_APPROX_NONE, pixel centres): mean IoU %.4f, exact %d / %d, vertices %d"
              % (sum(cv_ious) / len(cv_ious), cv_exact, len(cv_ious), cv_vertices))
        print("cococonvert (--simplify 0): mean IoU 1.0000 on %d exact of %d" % (exact, total))
    finish()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Results lists stay evaluable exactly as their source: pycocotools' COCOeval (segm and bbox) gives
identical stats arrays for the source results of $SHARED/data/coco-real and for every route that can
carry results, with and without `--recompute`.

Routes: coco2coco with --segmentation keep / rle / polygon and --annotation-ids renumber, and
coco2hdf5 then hdf52coco (TFRecord needs the images, which the results subset lacks).

There is no ground truth for these val2014 results in the subset, so one is made from the results
themselves with pycocotools alone (two of every three records, iscrowd 0, area = mask.area, bbox =
mask.toBbox), which leaves both misses and false positives. A sensitivity control checks that this
ground truth notices what the issue describes: the same results with a mask bbox added evaluate
differently (loadRes then takes area = w*h).
"""
import contextlib
import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_support import check, finish, run_convert  # noqa: E402

import numpy as np
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
WORK = os.environ.get("WORK") or "/tmp/cocoeval_check"
SOURCE = os.path.join(SHARED, "data", "coco-real", "results", "instances_val2014_fakesegm100_results.json")
os.makedirs(WORK, exist_ok=True)


def quiet(fn, *args):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args)


def make_ground_truth(results):
    images, annotations = {}, []
    for k, r in enumerate(results):
        rle = r["segmentation"]
        h, w = rle["size"]
        images[r["image_id"]] = {"id": r["image_id"], "width": w, "height": h, "file_name": f"{r['image_id']}.jpg"}
        if k % 3 == 0:
            continue
        compressed = mask_utils.frPyObjects(rle, h, w) if isinstance(rle["counts"], list) else rle
        annotations.append({"id": len(annotations) + 1, "image_id": r["image_id"], "category_id": r["category_id"],
                            "segmentation": rle, "iscrowd": 0, "area": float(mask_utils.area(compressed)),
                            "bbox": [float(v) for v in mask_utils.toBbox(compressed)]})
    categories = [{"id": c, "name": str(c)} for c in sorted({r["category_id"] for r in results})]
    gt = COCO()
    gt.dataset = {"images": list(images.values()), "annotations": annotations, "categories": categories}
    quiet(gt.createIndex)
    return gt


def stats(gt, results_path, iou_type):
    dt = quiet(gt.loadRes, results_path)
    e = COCOeval(gt, dt, iou_type)
    quiet(e.evaluate)
    quiet(e.accumulate)
    quiet(e.summarize)
    return e.stats


source = json.load(open(SOURCE))
gt = make_ground_truth(source)
expected = {t: stats(gt, SOURCE, t) for t in ("segm", "bbox")}
print("source stats segm:", np.round(expected["segm"], 4).tolist())

# Sensitivity control: a bbox added from the mask must move the numbers, or this check proves nothing.
with_box = [dict(r, bbox=[float(v) for v in mask_utils.toBbox(r["segmentation"])]) for r in source]
control = os.path.join(WORK, "control_with_bbox.json")
json.dump(with_box, open(control, "w"))
check(not np.array_equal(stats(gt, control, "segm"), expected["segm"]),
      "control: adding bbox to the results does not change segm stats; the ground truth is not sensitive")

routes = []
for extra in (["--segmentation", "keep"], ["--segmentation", "rle"], ["--segmentation", "polygon"], ["--annotation-ids", "renumber"]):
    for recompute in ([], ["--recompute"]):
        name = "coco2coco " + " ".join(extra + recompute)
        out = os.path.join(WORK, name.replace(" ", "_").replace("--", "") + ".json")
        routes.append((name, [("coco", "coco", SOURCE, out, extra + recompute)], out))
for recompute in ([], ["--recompute"]):
    # One shard directory per route: cococonvert refuses to write into a non-empty output.
    shards = os.path.join(WORK, "h5" + ("_recompute" if recompute else ""))
    out = os.path.join(WORK, "hdf5" + ("_recompute" if recompute else "") + ".json")
    routes.append(("coco2hdf5 + hdf52coco " + " ".join(recompute),
                   [("coco", "hdf5", SOURCE, shards, []), ("hdf5", "coco", shards, out, recompute)], out))

for name, steps, out in routes:
    ok = all(run_convert("--from", a, "--to", b, i, o, *x) for a, b, i, o, x in steps)
    if not check(ok, f"{name}: conversion failed"):
        continue
    for iou_type in ("segm", "bbox"):
        got = stats(gt, out, iou_type)
        check(np.array_equal(got, expected[iou_type]),
              f"{name} ({iou_type}): stats {np.round(got, 4).tolist()} != source {np.round(expected[iou_type], 4).tolist()}")
print(f"{len(routes)} routes evaluated (segm and bbox)")
finish()

#!/usr/bin/env python3
"""`cococonvert verify` counts instances by their owned pixels, as pycocotools paints them.

For each instances file of $SHARED/data/coco-real, the non-crowd annotations that keep at least one
pixel when painted in file order (later wins; masks from pycocotools `annToMask`) are counted per
image. `verify FILE FILE --json` must report exactly that many instances compared, and equal; and
`verify FILE <its coco2voc output>` too (the VOC side matched by overlap, not by id).
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_support import binary, check, finish, run_convert  # noqa: E402

import numpy as np
from pycocotools.coco import COCO

SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
WORK = os.environ.get("WORK") or "/tmp/verify_owned_check"
REAL = os.path.join(SHARED, "data", "coco-real", "instances", "annotations")


def owned_instances(path):
    coco = COCO(path)
    total = 0
    for image in coco.dataset["images"]:
        anns = [a for a in coco.loadAnns(coco.getAnnIds(imgIds=[image["id"]])) if not a["iscrowd"]]
        owner = np.zeros((image["height"], image["width"]), dtype=np.int32)
        for k, ann in enumerate(anns, start=1):
            owner[coco.annToMask(ann).astype(bool)] = k
        total += len(set(np.unique(owner).tolist()) - {0})
    return total


def verify(a, b):
    r = subprocess.run([binary(), "verify", a, b, "--json"], capture_output=True, text=True)
    try:
        return r.returncode, json.loads(r.stdout)
    except ValueError:
        return r.returncode, {"error": r.stderr}


for split in ("val2017", "train2017"):
    path = os.path.join(REAL, f"instances_{split}.json")
    expected = owned_instances(path)
    status, report = verify(path, path)
    check(status == 0 and report.get("equal") is True, f"{split}: verify of a file against itself is equal ({status})")
    check(report.get("instances_compared") == expected,
          f"{split}: {report.get('instances_compared')} instances compared, pycocotools owned-pixel count {expected}")
    voc = os.path.join(WORK, f"voc-{split}")
    if check(run_convert("--from", "coco", "--to", "voc", path, voc, "--image-mode", "none"), f"coco2voc {split}"):
        status, report = verify(path, voc)
        check(status == 0 and report.get("instances_compared") == expected,
              f"{split}: against its VOC: exit {status}, {report.get('instances_compared')} compared, expected {expected}")
    print(f"{split}: {expected} owned instances")
finish()

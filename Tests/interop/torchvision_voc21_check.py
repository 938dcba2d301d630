#!/usr/bin/env python3
"""`coco2png IN OUT --labels voc21 --palette none` against torchvision's COCO -> VOC-21 target.

The target is torchvision_voc21.voc21_target (torchvision's references/segmentation/coco_utils.py,
implemented from its documented algorithm).
Every image of both instances files of $SHARED/data/coco-real must match pixel for pixel.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_support import check, finish, run_convert  # noqa: E402
from torchvision_voc21 import voc21_target  # noqa: E402

import numpy as np
from PIL import Image
from pycocotools.coco import COCO

SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
WORK = os.environ.get("WORK") or "/tmp/torchvision_voc21_check"
REAL = os.path.join(SHARED, "data", "coco-real", "instances", "annotations")


def torchvision_target(coco, image):
    anns = coco.loadAnns(coco.getAnnIds(imgIds=image["id"], iscrowd=None))
    return voc21_target(anns, image["height"], image["width"])


for split in ("val2017", "train2017"):
    ann = os.path.join(REAL, f"instances_{split}.json")
    out = os.path.join(WORK, split)
    if not check(run_convert("--from", "coco", "--to", "png", ann, out, "--labels", "voc21", "--palette", "none"),
                 f"coco2png {split} --labels voc21 --palette none"):
        continue
    coco = COCO(ann)
    overlap_pixels = 0
    for image in coco.loadImgs(coco.getImgIds()):
        expected = torchvision_target(coco, image)
        overlap_pixels += int((expected == 255).sum())
        path = os.path.join(out, os.path.splitext(image["file_name"])[0] + ".png")
        if not check(os.path.isfile(path), f"{split}: {path} missing"):
            continue
        got = np.array(Image.open(path))
        if not check(got.shape == expected.shape, f"{split}/{image['id']}: shape {got.shape} != {expected.shape}"):
            continue
        d = int((got != expected).sum())
        check(d == 0, f"{split}/{image['id']}: {d} pixels differ from torchvision's target")
    print(f"{split}: {len(coco.getImgIds())} images, {overlap_pixels} overlap pixels (255) in torchvision's targets")
finish()

#!/usr/bin/env python3
"""`coco2png IN OUT --labels voc21 --palette none` against torchvision's COCO -> VOC-21 target.

torchvision's CPU wheels do not load here (see ../shared/PEERS.md), so its segmentation reference
(references/segmentation/coco_utils.py) is implemented from its documented algorithm with numpy and
pycocotools:
  - FilterAndRemapCocoCategories(CAT_LIST, remap=True): keep the annotations (crowds too) whose
    category is in CAT_LIST, category -> its index in CAT_LIST;
  - ConvertCocoPolysToMask: per annotation, frPyObjects(segmentation, h, w) -> decode -> any over the
    parts; target = max over (mask * category); target[masks.sum(0) > 1] = 255; no annotation -> zeros.
Every image of both instances files of $SHARED/data/coco-real must match pixel for pixel.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_support import check, finish, run_convert  # noqa: E402

import numpy as np
from PIL import Image
from pycocotools import mask as coco_mask
from pycocotools.coco import COCO

SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
WORK = os.environ.get("WORK") or "/tmp/torchvision_voc21_check"
REAL = os.path.join(SHARED, "data", "coco-real", "instances", "annotations")
CAT_LIST = [0, 5, 2, 16, 9, 44, 6, 3, 17, 62, 21, 67, 18, 19, 4, 1, 64, 20, 63, 7, 72]


def torchvision_target(coco, image):
    h, w = image["height"], image["width"]
    anns = coco.loadAnns(coco.getAnnIds(imgIds=image["id"], iscrowd=None))
    anns = [a for a in anns if a["category_id"] in CAT_LIST]
    if not anns:
        return np.zeros((h, w), dtype=np.uint8)
    masks, cats = [], []
    for a in anns:
        rles = coco_mask.frPyObjects(a["segmentation"], h, w)
        m = coco_mask.decode(rles)
        if m.ndim < 3:
            m = m[..., None]
        masks.append(m.any(axis=2).astype(np.uint8))
        cats.append(CAT_LIST.index(a["category_id"]))
    masks = np.stack(masks)
    target = (masks * np.array(cats, dtype=np.uint8)[:, None, None]).max(axis=0)
    target[masks.astype(np.int64).sum(axis=0) > 1] = 255
    return target


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

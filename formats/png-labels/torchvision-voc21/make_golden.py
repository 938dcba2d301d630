#!/usr/bin/env python3
"""Writes voc21.json (a tiny COCO file) and expected.json: torchvision's COCO -> VOC-21 target for it.

The target is Tests/interop/torchvision_voc21.py's voc21_target (torchvision's references/segmentation/
coco_utils.py, implemented from its documented algorithm; shared with torchvision_voc21_check.py).

Cases in the 12x8 image: two overlapping persons (same class: 255 where they overlap), a crowd dog
(uncompressed RLE) over one person, a cat alone, a toothbrush (not a VOC class) over the cat (ignored).
Run from this directory: python3 make_golden.py
"""
import json
import os
import sys

import numpy as np
from pycocotools import mask as mask_utils

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Tests", "interop"))
from torchvision_voc21 import voc21_target  # noqa: E402
W, H = 12, 8


def box(x, y, w, h):
    return [[x, y, x + w, y, x + w, y + h, x, y + h]]


crowd = np.zeros((H, W), dtype=np.uint8, order="F")
crowd[4:8, 2:5] = 1
crowd_counts = []
# uncompressed RLE as COCO writes crowds: column-major run lengths starting with zeros
flat = crowd.flatten(order="F")
value, run = 0, 0
for v in flat:
    if v == value:
        run += 1
    else:
        crowd_counts.append(run)
        value, run = v, 1
crowd_counts.append(run)

annotations = [
    {"id": 1, "category_id": 1, "segmentation": box(0, 0, 4, 5), "iscrowd": 0},
    {"id": 2, "category_id": 1, "segmentation": box(3, 2, 3, 3), "iscrowd": 0},
    {"id": 3, "category_id": 18, "segmentation": {"size": [H, W], "counts": crowd_counts}, "iscrowd": 1},
    {"id": 4, "category_id": 17, "segmentation": box(8, 1, 3, 4), "iscrowd": 0},
    {"id": 5, "category_id": 90, "segmentation": box(9, 3, 3, 4), "iscrowd": 0},
]
for a in annotations:
    a["image_id"] = 1
    rle = mask_utils.frPyObjects(a["segmentation"], H, W)
    rle = mask_utils.merge(rle) if isinstance(rle, list) else rle
    a["area"] = float(mask_utils.area(rle))
    a["bbox"] = [float(v) for v in mask_utils.toBbox(rle)]
coco = {"images": [{"id": 1, "file_name": "scene.jpg", "width": W, "height": H}], "annotations": annotations,
        "categories": [{"id": 1, "name": "person"}, {"id": 17, "name": "cat"}, {"id": 18, "name": "dog"},
                       {"id": 90, "name": "toothbrush"}]}
json.dump(coco, open("voc21.json", "w"), indent=1)

target = voc21_target(annotations, H, W)
json.dump({"width": W, "height": H, "target": target.tolist()}, open("expected.json", "w"))
print(target)

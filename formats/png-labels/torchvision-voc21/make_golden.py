#!/usr/bin/env python3
"""Writes voc21.json (a tiny COCO file) and expected.json: torchvision's COCO -> VOC-21 target for it.

The target follows torchvision's references/segmentation/coco_utils.py, implemented from its documented
algorithm with numpy + pycocotools (its CPU wheel does not load here): FilterAndRemapCocoCategories(CAT_LIST,
remap=True) keeps the annotations, crowds included, whose category is in CAT_LIST (category -> index);
ConvertCocoPolysToMask decodes each segmentation (frPyObjects + decode, any over parts), takes the max of
mask * category and sets 255 where masks.sum(0) > 1 -- any two annotations, same class or not.

Cases in the 12x8 image: two overlapping persons (same class: 255 where they overlap), a crowd dog
(uncompressed RLE) over one person, a cat alone, a toothbrush (not a VOC class) over the cat (ignored).
Run from this directory: python3 make_golden.py
"""
import json

import numpy as np
from pycocotools import mask as mask_utils

CAT_LIST = [0, 5, 2, 16, 9, 44, 6, 3, 17, 62, 21, 67, 18, 19, 4, 1, 64, 20, 63, 7, 72]
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

anns = [a for a in annotations if a["category_id"] in CAT_LIST]
masks, cats = [], []
for a in anns:
    m = mask_utils.decode(mask_utils.frPyObjects(a["segmentation"], H, W))
    if m.ndim < 3:
        m = m[..., None]
    masks.append(m.any(axis=2).astype(np.uint8))
    cats.append(CAT_LIST.index(a["category_id"]))
masks = np.stack(masks)
target = (masks * np.array(cats, dtype=np.uint8)[:, None, None]).max(axis=0)
target[masks.astype(np.int64).sum(axis=0) > 1] = 255
json.dump({"width": W, "height": H, "target": target.tolist()}, open("expected.json", "w"))
print(target)

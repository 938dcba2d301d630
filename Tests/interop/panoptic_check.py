#!/usr/bin/env python3
"""`coco2png --kind panoptic` with DEFAULT options against panopticapi's documented format.

panopticapi is not on PyPI; its format is written down (COCO panoptic, panopticapi/utils.py `rgb2id`):
an RGB PNG per image whose segment id is R + 256*G + 256^2*B (0 = void), and per image a
`segments_info` list of {id, category_id, area, bbox, iscrowd}, crowd segments included with iscrowd=1.

For the real panoptic subset of $SHARED/data/coco-real, every segment of the source (the genuine
COCO panoptic PNGs and JSON) must appear in our output segment for segment: the same pixels under one
id, the same category_id and iscrowd, area = its pixel count, bbox = its tight box; no other segment,
void where the source is void, ids unique and non-zero, every id of the PNG listed.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_support import check, finish, run_convert  # noqa: E402

import numpy as np
from PIL import Image

SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
WORK = os.environ.get("WORK") or "/tmp/panoptic_check"
PAN = os.path.join(SHARED, "data", "coco-real", "panoptic", "annotations")


def rgb2id(path):
    rgb = np.array(Image.open(path).convert("RGB")).astype(np.uint32)
    return rgb[..., 0] + 256 * rgb[..., 1] + 256 * 256 * rgb[..., 2]


def box(mask):
    ys, xs = np.nonzero(mask)
    return [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]


source_json = os.path.join(PAN, "panoptic_val2017.json")
source = json.load(open(source_json))
out = os.path.join(WORK, "panoptic")
if check(run_convert("--from", "coco", "--to", "png", source_json, out, "--kind", "panoptic"), "coco2png --kind panoptic"):
    ours = json.load(open(os.path.join(out, "panoptic.json")))
    ours_by_image = {a["image_id"]: a for a in ours["annotations"]}
    crowds = 0
    for ann in source["annotations"]:
        mine = ours_by_image.get(ann["image_id"])
        if not check(mine is not None, f"image {ann['image_id']} missing from panoptic.json"):
            continue
        src_ids = rgb2id(os.path.join(PAN, "panoptic_val2017", ann["file_name"]))
        our_ids = rgb2id(os.path.join(out, mine["file_name"]))
        if not check(src_ids.shape == our_ids.shape, f"image {ann['image_id']}: PNG size differs"):
            continue
        infos = {s["id"]: s for s in mine["segments_info"]}
        check(len(infos) == len(mine["segments_info"]) and 0 not in infos, f"image {ann['image_id']}: ids not unique/non-zero")
        check(set(np.unique(our_ids).tolist()) - {0} == set(infos),
              f"image {ann['image_id']}: PNG ids and segments_info ids differ")
        check(int(((src_ids == 0) != (our_ids == 0)).sum()) == 0, f"image {ann['image_id']}: void pixels differ")
        matched = set()
        for seg in ann["segments_info"]:
            mask = src_ids == seg["id"]
            if not mask.any():
                continue
            crowds += seg.get("iscrowd", 0)
            values = np.unique(our_ids[mask])
            what = f"image {ann['image_id']} segment {seg['id']} (category {seg['category_id']}, iscrowd {seg.get('iscrowd', 0)})"
            if not check(len(values) == 1 and values[0] != 0, f"{what}: covered by ids {values.tolist()[:5]}"):
                continue
            mine_seg = infos.get(int(values[0]))
            if not check(mine_seg is not None, f"{what}: id {values[0]} not in segments_info"):
                continue
            matched.add(mine_seg["id"])
            check(int((our_ids == mine_seg["id"]).sum()) == int(mask.sum()), f"{what}: pixel sets differ")
            check(mine_seg["category_id"] == seg["category_id"], f"{what}: category {mine_seg['category_id']}")
            check(mine_seg.get("iscrowd", 0) == seg.get("iscrowd", 0), f"{what}: iscrowd {mine_seg.get('iscrowd')}")
            check(mine_seg["area"] == int(mask.sum()), f"{what}: area {mine_seg['area']} != {int(mask.sum())}")
            check(mine_seg["bbox"] == box(mask), f"{what}: bbox {mine_seg['bbox']} != {box(mask)}")
        check(matched == set(infos), f"image {ann['image_id']}: segments not in the source: {sorted(set(infos) - matched)}")
    print(f"{len(source['annotations'])} panoptic images, {crowds} crowd segments in the source")
finish()

#!/usr/bin/env python3
"""Writes the SA-1B-format fixtures under formats/sa1b/ from the real COCO subset, with pycocotools.

Run from anywhere: python3 formats/sa1b/make_fixture.py [SHARED]   (SHARED defaults to ../shared)
Only images whose COCO licence id is 4, 5, 7 or 8 (CC BY, CC BY-SA, no known restrictions, US
government) are copied. Each COCO image becomes one SA-1B sample: `sa_<id>.jpg` (the JPEG, bytes
unchanged) and `sa_<id>.json` as SA-1B's per-image JSON:

  {"image": {"image_id", "width", "height", "file_name"},
   "annotations": [{"id", "segmentation": {"size": [h, w], "counts": "<compressed RLE>"}, "bbox", "area",
                    "predicted_iou", "stability_score", "point_coords": [[x, y]], "crop_box": [0, 0, w, h]}]}

Masks are pycocotools' `annToRLE` of the COCO annotation (polygons and crowd RLE alike), `area` and
`bbox` its `mask.area` and `mask.toBbox`; predicted_iou and stability_score are made-up but fixed
numbers (SA-1B's own are model scores), point_coords a point inside the box.

Outputs (committed; the Swift tests read them, never this script):
  good/tars/sa_000000.tar, good/tars/sa_000001.tar   two tars of SA-1B samples (a directory of tars)
  good/unpacked/sa_<id>.jpg + sa_<id>.json           one sample, unpacked
  bad/truncated.tar       sa_000000.tar cut in the middle of a member
  bad/bad-checksum.tar    sa_000000.tar with one byte of the second member header changed
  expected.json           per annotation id: image id, size, counts, area, bbox (from pycocotools)
"""
import io
import json
import os
import shutil
import sys
import tarfile

from pycocotools import mask as mask_utils
from pycocotools.coco import COCO

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.dirname(HERE)), "..", "shared")
REAL = os.path.join(SHARED, "data", "coco-real", "instances")
FREE_LICENSES = {4, 5, 7, 8}
TARS = {"sa_000000.tar": [("val2017", 343937), ("val2017", 205401), ("val2017", 229358)],
        "sa_000001.tar": [("train2017", 159269), ("train2017", 256353)]}
UNPACKED = [("val2017", 208901)]


def sample(coco, split, image_id):
    im = coco.imgs[image_id]
    assert im["license"] in FREE_LICENSES, f"image {image_id} has licence {im['license']}"
    with open(os.path.join(REAL, split, im["file_name"]), "rb") as f:
        jpeg = f.read()
    name = f"sa_{image_id}"
    annotations = []
    expected = {}
    for k, ann in enumerate(coco.loadAnns(coco.getAnnIds(imgIds=[image_id]))):
        rle = coco.annToRLE(ann)
        counts = rle["counts"].decode("ascii")
        area = int(mask_utils.area(rle))
        bbox = [float(v) for v in mask_utils.toBbox(rle)]
        x, y, w, h = bbox
        annotations.append({
            "bbox": bbox, "area": area,
            "segmentation": {"size": [im["height"], im["width"]], "counts": counts},
            "predicted_iou": round(0.8 + 0.01 * (k % 17), 6),
            "point_coords": [[round(x + w / 2, 3), round(y + h / 2, 3)]],
            "crop_box": [0.0, 0.0, float(im["width"]), float(im["height"])],
            "id": ann["id"],
            "stability_score": round(0.9 + 0.005 * (k % 11), 6),
        })
        expected[str(ann["id"])] = {"image_id": image_id, "size": [im["height"], im["width"]], "counts": counts,
                                    "area": area, "bbox": bbox}
    record = {"image": {"image_id": image_id, "width": im["width"], "height": im["height"], "file_name": name + ".jpg"},
              "annotations": annotations}
    return name, jpeg, json.dumps(record).encode(), expected


def add(tf, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o644
    tf.addfile(info, io.BytesIO(data))


def main():
    cocos = {s: COCO(os.path.join(REAL, "annotations", f"instances_{s}.json")) for s in ("val2017", "train2017")}
    expected = {}
    tars_dir = os.path.join(HERE, "good", "tars")
    unpacked_dir = os.path.join(HERE, "good", "unpacked")
    for d in (tars_dir, unpacked_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    for tar_name, items in TARS.items():
        with tarfile.open(os.path.join(tars_dir, tar_name), "w", format=tarfile.USTAR_FORMAT) as tf:
            for split, image_id in items:
                name, jpeg, record, exp = sample(cocos[split], split, image_id)
                add(tf, name + ".jpg", jpeg)
                add(tf, name + ".json", record)
                expected.update(exp)
    for split, image_id in UNPACKED:
        name, jpeg, record, exp = sample(cocos[split], split, image_id)
        with open(os.path.join(unpacked_dir, name + ".jpg"), "wb") as f:
            f.write(jpeg)
        with open(os.path.join(unpacked_dir, name + ".json"), "wb") as f:
            f.write(record)
        expected.update(exp)
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")

    whole = open(os.path.join(tars_dir, "sa_000000.tar"), "rb").read()
    os.makedirs(os.path.join(HERE, "bad"), exist_ok=True)
    with tarfile.open(os.path.join(tars_dir, "sa_000000.tar")) as tf:
        members = tf.getmembers()
    # Cut inside the first JPEG's contents: a download that stopped early.
    with open(os.path.join(HERE, "bad", "truncated.tar"), "wb") as f:
        f.write(whole[:members[0].offset_data + members[0].size // 2])
    # One byte of the second member's name changed: its header checksum no longer matches.
    damaged = bytearray(whole)
    damaged[members[1].offset + 3] ^= 0x01
    with open(os.path.join(HERE, "bad", "bad-checksum.tar"), "wb") as f:
        f.write(bytes(damaged))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the WebDataset fixtures under formats/webdataset/ with the `webdataset` package's own
TarWriter (a real peer) and Python's tarfile, from the real COCO subset.

Run from anywhere: python3 formats/webdataset/make_fixture.py [SHARED]   (SHARED defaults to ../shared)
Only images whose COCO licence id is 4, 5, 7 or 8 are copied.

Outputs (committed; the Swift tests read them, never this script):
  good/coco-json-000000.tar   written by webdataset.TarWriter: per key `jpg` (the JPEG bytes) and
                              `json`, a flat COCO-style record {"id", "file_name", "width", "height",
                              "annotations": [COCO annotations as in the source: polygons, crowd RLE]}
                              with keys `coco/<id>` (a directory in the key, as webdataset allows)
  good/label-png-000000.tar   written by webdataset.TarWriter: per key `jpg` and `png`, an 8-bit gray
                              label map with pixel = COCO category id (pycocotools annToMask, file order,
                              later wins, crowds left out)
  expected.json               per annotation id of coco-json: pycocotools annToRLE counts, size, area;
                              per image of label-png: the sorted category ids present in its map
  bad/truncated.tar           coco-json cut inside the second member
  bad/bad-checksum.tar        coco-json with one header byte changed
  bad/key-collision.tar       key `a` comes back after key `b` (tarfile)
"""
import io
import json
import os
import shutil
import sys
import tarfile

import numpy as np
import webdataset as wds
from PIL import Image
from pycocotools.coco import COCO

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.dirname(HERE)), "..", "shared")
REAL = os.path.join(SHARED, "data", "coco-real", "instances")
FREE_LICENSES = {4, 5, 7, 8}
JSON_IMAGES = [343937, 205401]
LABEL_IMAGES = [208901]


def main():
    coco = COCO(os.path.join(REAL, "annotations", "instances_val2017.json"))
    good = os.path.join(HERE, "good")
    bad = os.path.join(HERE, "bad")
    for d in (good, bad):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    expected = {"annotations": {}, "label_images": {}}

    json_tar = os.path.join(good, "coco-json-000000.tar")
    with wds.TarWriter(json_tar) as sink:
        for image_id in JSON_IMAGES:
            im = coco.imgs[image_id]
            assert im["license"] in FREE_LICENSES
            anns = coco.loadAnns(coco.getAnnIds(imgIds=[image_id]))
            record = {"id": image_id, "file_name": im["file_name"], "width": im["width"], "height": im["height"],
                      "annotations": anns}
            with open(os.path.join(REAL, "val2017", im["file_name"]), "rb") as f:
                sink.write({"__key__": f"coco/{image_id}", "jpg": f.read(), "json": json.dumps(record).encode()})
            for ann in anns:
                rle = coco.annToRLE(ann)
                expected["annotations"][str(ann["id"])] = {"image_id": image_id, "size": rle["size"],
                                                           "counts": rle["counts"].decode("ascii"), "area": ann["area"],
                                                           "bbox": ann["bbox"], "category_id": ann["category_id"]}

    with wds.TarWriter(os.path.join(good, "label-png-000000.tar")) as sink:
        for image_id in LABEL_IMAGES:
            im = coco.imgs[image_id]
            assert im["license"] in FREE_LICENSES
            label = np.zeros((im["height"], im["width"]), dtype=np.uint8)
            for ann in coco.loadAnns(coco.getAnnIds(imgIds=[image_id])):
                if not ann["iscrowd"]:
                    label[coco.annToMask(ann) > 0] = ann["category_id"]
            buf = io.BytesIO()
            Image.fromarray(label, mode="L").save(buf, format="PNG")
            with open(os.path.join(REAL, "val2017", im["file_name"]), "rb") as f:
                sink.write({"__key__": str(image_id), "jpg": f.read(), "png": buf.getvalue()})
            expected["label_images"][str(image_id)] = sorted(int(v) for v in np.unique(label) if v != 0)

    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")

    whole = open(json_tar, "rb").read()
    with tarfile.open(json_tar) as tf:
        members = tf.getmembers()
    with open(os.path.join(bad, "truncated.tar"), "wb") as f:
        f.write(whole[:members[1].offset_data + members[1].size // 2])
    damaged = bytearray(whole)
    damaged[members[2].offset + 124] ^= 0x01      # a digit of the size field
    with open(os.path.join(bad, "bad-checksum.tar"), "wb") as f:
        f.write(bytes(damaged))
    with tarfile.open(os.path.join(bad, "key-collision.tar"), "w", format=tarfile.USTAR_FORMAT) as tf:
        for name in ("a.json", "b.json", "a.json"):
            data = json.dumps({"id": 1, "file_name": "a.jpg", "width": 2, "height": 2, "annotations": []}).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Interop check: cococonvert HDF5 shards, opened with h5py, hold what the PNG writer paints.

Usage:
  python3 Tests/interop/h5py_compare.py SHARD_DIR PNG_DIR [--oracle oracle_annotations.jsonl] [--coco IN.json]

SHARD_DIR  output of `cococonvert coco2hdf5 IN.json SHARD_DIR ...`
PNG_DIR    output of `cococonvert coco2png IN.json PNG_DIR ...` with the same label options
--oracle   pycocotools oracle (oracle_annotations.jsonl: one object per annotation, segment or
           result with `rle.counts`); with --coco, every oracle record of that file must be in the
           shards with exactly the oracle's compressed RLE (matched by image and annotation id,
           panoptic segment id, or for results files by order within the image)
--coco     the source COCO JSON (instances, stuff, panoptic or results): every image and
           annotation must be in the shards with the same ids, file name, size, category, iscrowd

In CI, for each file F of ../shared/data/coco-real (instances val/train, stuff, panoptic, results):
  cococonvert coco2hdf5 F H5 --shard 7 --labels coco && cococonvert coco2png F PNG --labels coco
  python3 Tests/interop/h5py_compare.py H5 PNG --oracle ../shared/data/coco-real/oracle_annotations.jsonl --coco F

For every sample: labels[i, :h, :w] equals the PNG (read with Pillow, palette indices or grey
values), and every padding pixel equals the root attribute ignore_index. Shard names, shard
attributes and the instances table are checked for consistency. Needs h5py, numpy, Pillow.
Prints "N passed, 0 failed" and exits 0 only when nothing failed.
"""
import argparse
import collections
import glob
import json
import os
import re
import sys

import h5py
import numpy as np
from PIL import Image

SHARD_NAME = re.compile(r"^(?P<split>.+)-(?P<index>\d{5,})-of-(?P<count>\d{5,})\.h5$")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("shards")
    ap.add_argument("pngs")
    ap.add_argument("--oracle")
    ap.add_argument("--coco")
    args = ap.parse_args()

    passed, failures = 0, []

    def check(ok, what):
        nonlocal passed
        if ok:
            passed += 1
        else:
            failures.append(what)
        return ok

    paths = sorted(glob.glob(os.path.join(args.shards, "*.h5")))
    if not paths:
        print(f"no .h5 files in {args.shards}")
        print("0 passed, 1 failed")
        return 1

    png_index = {}
    for root, _, files in os.walk(args.pngs):
        for f in files:
            if f.endswith(".png"):
                png_index.setdefault(os.path.splitext(f)[0], os.path.join(root, f))

    source = os.path.basename(args.coco) if args.coco else None
    oracle = []
    if args.oracle and source:
        with open(args.oracle) as fh:
            for line in fh:
                r = json.loads(line)
                if os.path.basename(r.get("file", "")) == source:
                    oracle.append(r)

    names = [os.path.basename(p) for p in paths]
    parsed = [SHARD_NAME.match(n) for n in names]
    check(all(parsed), f"shard names follow <split>-NNNNN-of-MMMMM.h5: {names}")
    count = len(paths)
    check([int(m["index"]) for m in parsed if m] == list(range(count))
          and all(int(m["count"]) == count for m in parsed if m), f"shard indices 0..{count - 1} of {count}: {names}")

    seen_images = {}
    seen_instances = collections.defaultdict(list)  # image id -> [(id or None, category, iscrowd, rle)] in order
    offset = 0
    for k, path in enumerate(paths):
        with h5py.File(path, "r") as f:
            a = f.attrs
            check(a.get("format") == "cococonvert-hdf5" and int(a.get("format_version", 0)) == 1, f"{path}: format attributes")
            check(int(a["shard_index"]) == k and int(a["shard_count"]) == count, f"{path}: shard_index/shard_count")
            check(int(a["sample_offset"]) == offset, f"{path}: sample_offset {a['sample_offset']} != {offset}")
            ignore = int(a["ignore_index"])
            labels = f["labels"]
            n = labels.shape[0]
            check(labels.dtype == np.dtype(str(a["label_dtype"])), f"{path}: labels dtype {labels.dtype} vs label_dtype")
            heights, widths = f["heights"][:], f["widths"][:]
            ids = f["image_ids"][:]
            file_names = f["file_names"].asstr()[:]
            check(labels.shape[1] >= heights.max(initial=0) and labels.shape[2] >= widths.max(initial=0), f"{path}: labels extent")
            start, counts = f["instance_start"][:], f["instance_count"][:]
            sample_index = f["instances/sample_index"][:]
            m = sample_index.shape[0]
            check(int(counts.sum()) == m and (n == 0 or int(start[0]) == 0)
                  and np.array_equal(start[1:], np.cumsum(counts)[:-1]), f"{path}: instance_start/instance_count")
            check(np.array_equal(sample_index, np.repeat(np.arange(n), counts)), f"{path}: instances/sample_index")

            for i in range(n):
                h, w = int(heights[i]), int(widths[i])
                stem = os.path.splitext(os.path.basename(file_names[i]))[0]
                png_path = png_index.get(stem)
                if not check(png_path is not None, f"{path}[{i}] image {ids[i]}: no PNG named {stem}.png in {args.pngs}"):
                    continue
                plane = labels[i]  # one chunk read: (H, W)
                png = np.array(Image.open(png_path))
                if not check(png.shape == (h, w), f"{path}[{i}] image {ids[i]}: PNG shape {png.shape} != {(h, w)}"):
                    continue
                diff = int(np.count_nonzero(plane[:h, :w].astype(np.int64) != png.astype(np.int64)))
                check(diff == 0, f"{path}[{i}] image {ids[i]}: {diff} pixels differ from {png_path}")
                pad_ok = bool(np.all(plane[h:, :] == ignore)) and bool(np.all(plane[:h, w:] == ignore))
                check(pad_ok, f"{path}[{i}] image {ids[i]}: padding is not {ignore}")
                seen_images[int(ids[i])] = (file_names[i], h, w)

            inst_ids = f["instances/id"][:]
            has_id = f["instances/has_id"][:]
            cats = f["instances/category_id"][:]
            crowd = f["instances/iscrowd"][:]
            rles = f["instances/rle"].asstr()[:]
            for j in range(m):
                seen_instances[int(ids[sample_index[j]])].append(
                    (int(inst_ids[j]) if has_id[j] else None, int(cats[j]), int(crowd[j]), rles[j]))
            offset += n

    check(offset == int(h5py.File(paths[0], "r").attrs["total_samples"]), "total_samples equals the rows of all shards")

    def find(image_id, ann_id):
        return next((x for x in seen_instances.get(image_id, []) if x[0] == ann_id), None)

    if oracle:
        results = collections.defaultdict(list)
        for r in sorted(oracle, key=lambda r: r.get("index", 0)):
            if "index" in r and r.get("id") is None and r.get("segment_id") is None:
                results[r["image_id"]].append(r["rle"]["counts"])
                continue
            ann_id = r["id"] if r.get("id") is not None else r.get("segment_id")
            got = find(r["image_id"], ann_id)
            check(got is not None and got[3] == r["rle"]["counts"],
                  f"image {r['image_id']} annotation {ann_id}: stored RLE is not pycocotools' ({None if got is None else got[3][:20]})")
        for image_id, expected in results.items():
            got = [x[3] for x in seen_instances.get(image_id, [])]
            check(got == expected, f"results for image {image_id}: stored RLEs differ from pycocotools'")

    if args.coco:
        with open(args.coco) as fh:
            coco = json.load(fh)
        if isinstance(coco, list):  # results file: no ids; compare (image, category) multisets
            want = collections.Counter((a["image_id"], a["category_id"]) for a in coco)
            have = collections.Counter((img, x[1]) for img, xs in seen_instances.items() for x in xs)
            check(want == have, "results: (image_id, category_id) of every result")
        else:
            for im in coco.get("images", []):
                got = seen_images.get(im["id"])
                check(got == (im["file_name"], im["height"], im["width"]), f"image {im['id']}: {got} in shards")
            for ann in coco.get("annotations", []):
                segments = ann.get("segments_info")
                pairs = [(seg["id"], seg) for seg in segments] if segments is not None else [(ann["id"], ann)]
                for ann_id, rec in pairs:
                    got = find(ann["image_id"], ann_id)
                    check(got is not None and got[1:3] == (rec["category_id"], int(rec.get("iscrowd", 0))),
                          f"image {ann['image_id']} annotation {ann_id}: {got} in shards")

    for what in failures[:20]:
        print("FAIL:", what)
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

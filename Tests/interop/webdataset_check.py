#!/usr/bin/env python3
"""Checks cococonvert's WebDataset shards with the readers training code uses.

Reads COCOCONVERT (the binary), SHARED (../shared) and WORK (a scratch directory), as
Tests/interop/run_all.py sets them. For both instances files of $SHARED/data/coco-real it runs
`coco2webdataset --shard 16` and `coco2png` (same label options), then checks:
  - Python's `tarfile` opens every shard and lists every member: names `<split>-NNNNNN.tar`, per key
    exactly `.jpg`, `.json`, `.png`, no `.` inside a key, every image exactly once, in order;
  - `webdataset` (pip) iterates the shards and decodes, for every sample, the JPEG (Pillow, size as
    the JSON says; bytes identical to the source file), the label PNG and the JSON; every
    annotation's compressed RLE equal to the pycocotools oracle's `annToRLE`, area and bbox equal
    to the source annotation's, category name from the source categories;
  - the label PNG is byte-identical to the file coco2png wrote for that image, and decodes equal;
  - Hugging Face `datasets` loads the shards with `load_dataset("webdataset", data_files=…)`,
    streaming and not (offline: HF_DATASETS_OFFLINE=1, HF_HUB_OFFLINE=1), with every key once;
  - Ray Data's `ray.data.read_webdataset` (local Ray, 2 CPUs) yields every sample once with its
    image (bytes identical to the source; decoded by its default decoder to HxWx3 at the JSON's
    size), label PNG (byte-identical to coco2png's) and JSON (image record, every annotation);
  - with --instance-map, every annotation's `instance_value` names pixels of `.instance.png` that lie
    inside its pycocotools mask, every value in the map belongs to one annotation, crowds have none;
  - coco2webdataset --shard-size gives shards no larger than asked (a lone large sample aside).
Prints 'N passed, M failed' and exits non-zero when anything failed.
"""
import glob
import io
import json
import os
import re
import subprocess
import sys
import tarfile

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(REPO), "shared"))
WORK = os.environ.get("WORK") or __import__("tempfile").mkdtemp(prefix="webdataset_check-")
REAL = os.path.join(SHARED, "data", "coco-real")
os.environ.setdefault("HF_HOME", os.path.join(WORK, "hf-home"))

sys.path.insert(0, HERE)
from interop_support import binary, check, finish  # noqa: E402

import webdataset as wds  # noqa: E402
from datasets import load_dataset  # noqa: E402


def run(*args):
    r = subprocess.run([binary(), *args, "--quiet"], capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout, r.stderr)
    return r.returncode == 0


def oracle_for(annotation_file):
    rel = os.path.relpath(annotation_file, REAL)
    out = {}
    with open(os.path.join(REAL, "oracle_annotations.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            if r["file"] == rel:
                out[r["id"]] = r
    return out


def check_split(split):
    source = os.path.join(REAL, "instances", "annotations", f"instances_{split}.json")
    images_dir = os.path.join(REAL, "instances", split)
    coco = json.load(open(source))
    oracle = oracle_for(source)
    source_anns = {a["id"]: a for a in coco["annotations"]}
    names = {c["id"]: c["name"] for c in coco["categories"]}
    expected_keys = [os.path.splitext(im["file_name"])[0] for im in coco["images"]]
    images = {os.path.splitext(im["file_name"])[0]: im for im in coco["images"]}

    out = os.path.join(WORK, "wds-" + split)
    png_out = os.path.join(WORK, "png-" + split)
    if not check(run("coco2webdataset", source, out, "--shard", "16"), f"{split}: coco2webdataset ran"):
        return
    if not check(run("coco2png", source, png_out), f"{split}: coco2png ran"):
        return
    shards = sorted(glob.glob(os.path.join(out, "*.tar")))
    check(len(shards) == (len(expected_keys) + 15) // 16, f"{split}: {len(shards)} shards for {len(expected_keys)} images at 16 per shard")
    check(all(re.fullmatch(re.escape(split) + r"-\d{6}\.tar", os.path.basename(s)) for s in shards), f"{split}: shard names")
    check(not [n for n in os.listdir(out) if n.startswith(".")], f"{split}: no hidden files left")

    # tarfile lists every member.
    keys_in_order = []
    for shard in shards:
        with tarfile.open(shard) as tf:
            members = tf.getmembers()
            check(all(m.isfile() for m in members), f"{shard}: only regular files")
            by_key = {}
            for m in members:
                key, _, ext = m.name.partition(".")
                by_key.setdefault(key, []).append(ext)
                if not keys_in_order or keys_in_order[-1] != key:
                    keys_in_order.append(key)
            for key, exts in by_key.items():
                check(sorted(exts) == ["jpg", "json", "png"], f"{shard}: key {key} has members {exts}")
                check("." not in key and "/" not in key, f"{shard}: key {key} is safe")
    check(keys_in_order == expected_keys, f"{split}: every image once, in order")

    # webdataset decodes every sample.
    raw = {s["__key__"]: s for s in wds.WebDataset(shards, shardshuffle=False)}
    decoded = list(wds.WebDataset(shards, shardshuffle=False).decode("pil"))
    check(len(decoded) == len(expected_keys), f"{split}: webdataset yields {len(decoded)} samples, expected {len(expected_keys)}")
    for sample in decoded:
        key = sample["__key__"]
        meta = sample["json"]
        im = images.get(key)
        if not check(im is not None, f"{split}: key {key} is a source image"):
            continue
        check(meta["image"]["id"] == im["id"] and meta["image"]["file_name"] == im["file_name"], f"{key}: image record")
        jpg = sample["jpg"]
        check(isinstance(jpg, Image.Image) and jpg.size == (im["width"], im["height"]), f"{key}: JPEG decodes at {im['width']}x{im['height']}")
        with open(os.path.join(images_dir, im["file_name"]), "rb") as f:
            check(raw[key]["jpg"] == f.read(), f"{key}: image bytes identical to the source file")
        label = sample["png"]
        png_path = os.path.join(png_out, key + ".png")
        with open(png_path, "rb") as f:
            check(raw[key]["png"] == f.read(), f"{key}: label PNG byte-identical to coco2png's")
        # webdataset's "pil" decoder hands out the image in its own mode (RGB for palette PNGs).
        reference = Image.open(png_path)
        check(np.array_equal(np.array(Image.open(io.BytesIO(raw[key]["png"]))), np.array(reference)),
              f"{key}: label PNG decodes to the same values as coco2png's")
        check(np.array_equal(np.array(label), np.array(reference.convert(label.mode))), f"{key}: webdataset's decoded label equals coco2png's")
        expected_ids = [a["id"] for a in coco["annotations"] if a["image_id"] == im["id"]]
        got = meta["annotations"]
        check([a["id"] for a in got] == expected_ids, f"{key}: annotation ids in source order")
        for a in got:
            src, orc = source_anns[a["id"]], oracle[a["id"]]
            check(a["segmentation"] == orc["rle"], f"{key}: annotation {a['id']} RLE equals pycocotools annToRLE")
            check(a["area"] == src["area"] and a["bbox"] == src["bbox"], f"{key}: annotation {a['id']} area and bbox as in the source")
            check(a["category_id"] == src["category_id"] and a["category_name"] == names[src["category_id"]]
                  and a["iscrowd"] == src["iscrowd"], f"{key}: annotation {a['id']} category and iscrowd")

    # Hugging Face datasets, not streaming and streaming.
    cache = os.path.join(WORK, "hf-cache-" + split)
    ds = load_dataset("webdataset", data_files={"train": shards}, split="train", cache_dir=cache)
    check(len(ds) == len(expected_keys), f"{split}: datasets loads {len(ds)} rows, expected {len(expected_keys)}")
    check({"jpg", "json", "png"} <= set(ds.column_names), f"{split}: datasets columns {ds.column_names}")
    check([r["__key__"] for r in ds] == expected_keys, f"{split}: datasets rows in order, each key once")
    first = ds[0]
    check(first["json"]["image"]["id"] == coco["images"][0]["id"], f"{split}: datasets decodes the JSON")
    check(first["jpg"].size == (coco["images"][0]["width"], coco["images"][0]["height"]), f"{split}: datasets decodes the JPEG")
    streamed = load_dataset("webdataset", data_files={"train": shards}, split="train", streaming=True, cache_dir=cache)
    rows = list(streamed)
    check([r["__key__"] for r in rows] == expected_keys, f"{split}: streaming datasets yields every key once, in order")
    check(all(len(r["json"]["annotations"]) == len([a for a in coco["annotations"] if a["image_id"] == r["json"]["image"]["id"]])
              for r in rows), f"{split}: streaming datasets rows carry every annotation")


def check_ray(splits):
    """Ray Data reads the shards check_split wrote, raw and with its default decoder."""
    import ray
    import ray.data

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="error")
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        for split in splits:
            source = os.path.join(REAL, "instances", "annotations", f"instances_{split}.json")
            coco = json.load(open(source))
            images = {os.path.splitext(im["file_name"])[0]: im for im in coco["images"]}
            counts = {}
            for a in coco["annotations"]:
                counts[a["image_id"]] = counts.get(a["image_id"], 0) + 1
            shards = sorted(glob.glob(os.path.join(WORK, "wds-" + split, "*.tar")))
            if not check(shards, f"{split}: shards for Ray Data"):
                continue
            rows = ray.data.read_webdataset(shards, decoder=None).take_all()
            keys = sorted(r["__key__"] for r in rows)
            check(keys == sorted(images), f"{split}: Ray Data yields {len(rows)} samples, each key once ({len(images)} images)")
            for r in rows:
                key = r["__key__"]
                im = images.get(key)
                if not check(im is not None and {"jpg", "png", "json"} <= set(r), f"{split}: Ray row {key} has jpg, png and json"):
                    continue
                with open(os.path.join(REAL, "instances", split, im["file_name"]), "rb") as f:
                    check(r["jpg"] == f.read(), f"{key}: Ray Data's image bytes identical to the source file")
                with open(os.path.join(WORK, "png-" + split, key + ".png"), "rb") as f:
                    check(r["png"] == f.read(), f"{key}: Ray Data's label PNG byte-identical to coco2png's")
                meta = json.loads(r["json"])
                check(meta["image"]["id"] == im["id"] and len(meta["annotations"]) == counts.get(im["id"], 0),
                      f"{key}: Ray Data's JSON has the image record and its {counts.get(im['id'], 0)} annotations")
            # Ray's default decoder: images to arrays, JSON to a dict.
            decoded = ray.data.read_webdataset(shards).take_all()
            check(len(decoded) == len(images), f"{split}: Ray Data with its default decoder yields {len(decoded)} samples")
            for r in decoded:
                im = images.get(r["__key__"])
                if im is None:
                    continue
                check(np.asarray(r["jpg"]).shape[:2] == (im["height"], im["width"]), f"{r['__key__']}: Ray decodes the JPEG at {im['height']}x{im['width']}")
                check(np.asarray(r["png"]).shape[:2] == (im["height"], im["width"]), f"{r['__key__']}: Ray decodes the label PNG at the image size")
                check(r["json"]["image"]["id"] == im["id"], f"{r['__key__']}: Ray decodes the JSON")
    finally:
        ray.shutdown()


def check_instance_values(split):
    """Each annotation's instance_value, checked against the map and pycocotools' masks."""
    from pycocotools import mask as mask_utils

    source = os.path.join(REAL, "instances", "annotations", f"instances_{split}.json")
    oracle = oracle_for(source)
    out = os.path.join(WORK, "wds-instance-" + split)
    if not check(run("coco2webdataset", source, out, "--instance-map"), f"{split}: coco2webdataset --instance-map ran"):
        return
    samples = list(wds.WebDataset(sorted(glob.glob(os.path.join(out, "*.tar"))), shardshuffle=False))
    check(samples, f"{split}: --instance-map shards have samples")
    for sample in samples:
        key = sample["__key__"]
        meta = json.loads(sample["json"])
        instance_map = np.array(Image.open(io.BytesIO(sample["instance.png"])))
        values = {}
        for a in meta["annotations"]:
            v = a.get("instance_value")
            if a["iscrowd"]:
                check(v is None, f"{key}: crowd {a['id']} has no instance_value (crowds are left out of the map)")
                continue
            if not check(isinstance(v, int) and v > 0 and v not in values, f"{key}: annotation {a['id']} has its own instance_value ({v})"):
                continue
            values[v] = a["id"]
            rle = dict(oracle[a["id"]]["rle"])
            rle["counts"] = rle["counts"].encode() if isinstance(rle["counts"], str) else rle["counts"]
            inside = mask_utils.decode(rle).astype(bool)
            painted = instance_map == v
            check(not (painted & ~inside).any(), f"{key}: pixels of value {v} lie inside annotation {a['id']}'s pycocotools mask")
        present = set(int(x) for x in np.unique(instance_map)) - {0}
        check(present <= set(values), f"{key}: every value of .instance.png is an annotation's instance_value ({sorted(present - set(values))} are not)")


def check_shard_size():
    source = os.path.join(REAL, "instances", "annotations", "instances_val2017.json")
    out = os.path.join(WORK, "wds-bytes")
    limit = 2 << 20
    if not check(run("coco2webdataset", source, out, "--shard-size", "2M"), "coco2webdataset --shard-size 2M ran"):
        return
    shards = sorted(glob.glob(os.path.join(out, "*.tar")))
    check(len(shards) > 1, f"--shard-size 2M wrote {len(shards)} shards")
    for shard in shards:
        size = os.path.getsize(shard)
        with tarfile.open(shard) as tf:
            n = len(tf.getmembers())
        check(size <= limit or n == 3, f"{shard}: {size} bytes within 2 MiB (or a single sample)")


for split in ("val2017", "train2017"):
    check_split(split)
check_ray(("val2017", "train2017"))
check_instance_values("val2017")
check_shard_size()
finish()

#!/usr/bin/env python3
"""Checks what cococonvert makes of SA-1B with the readers people use on it.

Reads COCOCONVERT, SHARED and WORK as Tests/interop/run_all.py sets them. Input: the committed
fixture formats/sa1b/good/tars (two sa_*.tar, SA-1B per-image JSON written by pycocotools from the
real COCO subset; goldens in formats/sa1b/expected.json). It runs and checks:
  - sa1b2coco: pycocotools' COCO loads the file; every annotation's annToRLE equals the golden, and
    predicted_iou, stability_score, point_coords, crop_box are kept;
  - sa1b2webdataset --instance-map: `webdataset` iterates the shards; every sample's JSON holds the
    golden RLEs; the JPEG is the one in the SA-1B tar; the label PNG is the union of the masks;
  - sa1b2hdf5: h5py reads every shard; instances/rle strings equal the golden;
  - sa1b2png: Pillow reads every PNG; pixel 1 exactly where any mask is (pycocotools decode).
Prints 'N passed, M failed' and exits non-zero when anything failed.
"""
import glob
import io
import json
import os
import subprocess
import sys
import tarfile

import h5py
import numpy as np
import webdataset as wds
from PIL import Image
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
WORK = os.environ.get("WORK") or __import__("tempfile").mkdtemp(prefix="sa1b_check-")
FIXTURE = os.path.join(REPO, "formats", "sa1b", "good", "tars")
EXPECTED = json.load(open(os.path.join(REPO, "formats", "sa1b", "expected.json")))

sys.path.insert(0, HERE)
from interop_support import binary, check, finish  # noqa: E402

TAR_IMAGES = {}
for path in sorted(glob.glob(os.path.join(FIXTURE, "*.tar"))):
    with tarfile.open(path) as tf:
        for m in tf.getmembers():
            data = tf.extractfile(m).read()
            if m.name.endswith(".json"):
                TAR_IMAGES.setdefault(json.loads(data)["image"]["image_id"], {})["json"] = json.loads(data)
            else:
                TAR_IMAGES.setdefault(int(m.name[3:-4]), {})["jpg"] = data


def run(*args):
    r = subprocess.run([binary(), *args, "--quiet"], capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout, r.stderr)
    return r.returncode == 0


def union(image_id):
    rec = TAR_IMAGES[image_id]["json"]
    h, w = rec["image"]["height"], rec["image"]["width"]
    out = np.zeros((h, w), dtype=bool)
    for a in rec["annotations"]:
        out |= mask_utils.decode({"size": a["segmentation"]["size"], "counts": a["segmentation"]["counts"].encode()}) > 0
    return out


golden_ids = {int(k) for k, v in EXPECTED.items() if v["image_id"] in TAR_IMAGES}

# COCO
coco_path = os.path.join(WORK, "sa1b.json")
if check(run("sa1b2coco", FIXTURE, coco_path), "sa1b2coco ran"):
    coco = COCO(coco_path)
    check(set(coco.anns) == golden_ids, "every SA-1B annotation is in the COCO file")
    for aid, a in coco.anns.items():
        g = EXPECTED[str(aid)]
        rle = coco.annToRLE(a)
        counts = rle["counts"].decode() if isinstance(rle["counts"], bytes) else rle["counts"]
        check(counts == g["counts"] and list(rle["size"]) == g["size"], f"coco annotation {aid}: mask identical")
        check(a["area"] == g["area"] and a["bbox"] == g["bbox"], f"coco annotation {aid}: area and bbox")
        check(all(k in a for k in ("predicted_iou", "stability_score", "point_coords", "crop_box")), f"coco annotation {aid}: SA-1B fields kept")
    check([c["name"] for c in coco.dataset["categories"]] == ["object"], "one class-agnostic category")

# WebDataset
out = os.path.join(WORK, "wds")
if check(run("sa1b2webdataset", FIXTURE, out, "--instance-map"), "sa1b2webdataset ran"):
    shards = sorted(glob.glob(os.path.join(out, "*.tar")))
    raw = list(wds.WebDataset(shards, shardshuffle=False))
    check(len(raw) == len(TAR_IMAGES), f"webdataset yields {len(raw)} samples")
    for s in raw:
        meta = json.loads(s["json"])
        image_id = meta["image"]["id"]
        check(s["jpg"] == TAR_IMAGES[image_id]["jpg"], f"wds {image_id}: JPEG identical to the SA-1B tar's")
        for a in meta["annotations"]:
            g = EXPECTED[str(a["id"])]
            check(a["segmentation"] == {"size": g["size"], "counts": g["counts"]}, f"wds annotation {a['id']}: mask identical")
        label = np.array(Image.open(io.BytesIO(s["png"])))
        check(np.array_equal(label == 1, union(image_id)) and set(np.unique(label)) <= {0, 1}, f"wds {image_id}: label map is the union of the masks")
        instance = np.array(Image.open(io.BytesIO(s["instance.png"])))
        check(np.array_equal(instance > 0, union(image_id)), f"wds {image_id}: instance map covers the masks")

# HDF5
out = os.path.join(WORK, "h5")
if check(run("sa1b2hdf5", FIXTURE, out), "sa1b2hdf5 ran"):
    seen = set()
    for path in sorted(glob.glob(os.path.join(out, "*.h5"))):
        with h5py.File(path, "r") as f:
            n = int(f.attrs["shard_instances"])
            ids = f["instances/id"][:n]
            rles = f["instances/rle"][:n]
            for aid, rle in zip(ids, rles):
                rle = rle.decode() if isinstance(rle, bytes) else rle
                check(rle == EXPECTED[str(int(aid))]["counts"], f"hdf5 annotation {aid}: mask identical")
                seen.add(int(aid))
    check(seen == golden_ids, "hdf5: every annotation")

# PNG
out = os.path.join(WORK, "png")
if check(run("sa1b2png", FIXTURE, out), "sa1b2png ran"):
    for image_id in TAR_IMAGES:
        label = np.array(Image.open(os.path.join(out, f"sa_{image_id}.png")))
        check(np.array_equal(label == 1, union(image_id)), f"png {image_id}: foreground is the union of the masks")

finish()

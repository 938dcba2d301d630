#!/usr/bin/env python3
"""`cococonvert verify` against a VOC tree that Datumaro (the peer) wrote from the same COCO file.

Datumaro imports $SHARED/data/coco-real/instances/annotations/instances_val2017.json (`coco_instances`)
and exports VOC itself (`voc`, images saved). Its exporter writes only mask annotations into the
segmentation PNGs, so COCO polygons are lost; and it lists items in its own order. verify must:
  - exit 1 (different), never 0 (equal), with `equal: false`;
  - pair all images (by id, from the numeric stems) and say that it fell back to an index;
  - for every image, report exactly as many differing pixels as an independent count gives: the
    pycocotools oracle's semantic map (oracle_semantic/, pixel = category id, crowds left out, later
    annotations win) against Datumaro's SegmentationClass PNG read with Pillow, classes compared by
    name through labelmap.txt (0 background, 255 void);
  - report lost instances on the images where Datumaro dropped masks.

Skips (exit 0, with a message) only when `import datumaro` fails; `./dev setup` installs it.
"""
import json
import logging
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_support import binary, check, finish  # noqa: E402

try:
    import datumaro as dm
except Exception as error:  # noqa: BLE001
    print(f"SKIP: datumaro cannot be imported ({error}); pip install datumaro")
    print("0 passed, 0 failed")
    sys.exit(0)

import numpy as np
from PIL import Image

logging.getLogger().setLevel(logging.ERROR)

SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
WORK = os.environ.get("WORK") or "/tmp/verify_datumaro_check"
REAL = os.path.join(SHARED, "data", "coco-real")
ANN = os.path.join(REAL, "instances", "annotations", "instances_val2017.json")


def datumaro_voc():
    root = os.path.join(WORK, "coco")
    os.makedirs(os.path.join(root, "annotations"), exist_ok=True)
    os.makedirs(os.path.join(root, "images"), exist_ok=True)
    for link, target in ((os.path.join(root, "annotations", "instances_val2017.json"), os.path.abspath(ANN)),
                         (os.path.join(root, "images", "val2017"), os.path.abspath(os.path.join(REAL, "instances", "val2017")))):
        if not os.path.lexists(link):
            os.symlink(target, link)
    tree = os.path.join(WORK, "datumaro-voc")
    dm.Dataset.import_from(root, "coco_instances").export(tree, "voc", save_media=True)
    return tree


def labelmap_names(tree):
    """pixel value -> class name from Datumaro's labelmap.txt (line order; 255 is void)."""
    names = {}
    index = 0
    with open(os.path.join(tree, "labelmap.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            names[index] = line.split(":")[0]
            index += 1
    names[0] = "background"
    names[255] = "ignore"
    return names


def voc_colormap():
    """The Pascal VOC colormap (bit-interleaved), colour -> index, as Datumaro paints labels without colours."""
    colors = {}
    for index in range(256):
        r = g = b = 0
        c = index
        for shift in range(7, -1, -1):
            r |= (c & 1) << shift
            g |= ((c >> 1) & 1) << shift
            b |= ((c >> 2) & 1) << shift
            c >>= 3
        colors[(r, g, b)] = index
    return colors


def class_values(path, shape, colormap):
    """Datumaro's SegmentationClass PNG as label values (RGB through the colormap; no file: background)."""
    if not os.path.exists(path):
        return np.zeros(shape, dtype=np.int64)
    pixels = np.array(Image.open(path).convert("RGB")).astype(np.int64)
    packed = pixels[..., 0] << 16 | pixels[..., 1] << 8 | pixels[..., 2]
    lookup = {(r << 16 | g << 8 | b): v for (r, g, b), v in colormap.items()}
    out = np.full(shape, -1, dtype=np.int64)
    for key in np.unique(packed):
        out[packed == key] = lookup.get(int(key), -1)
    return out


def main():
    tree = datumaro_voc()
    r = subprocess.run([binary(), "verify", ANN, tree, "--json"], capture_output=True, text=True)
    check(r.returncode == 1, f"verify of Datumaro's VOC exits 1 (different), got {r.returncode}: {r.stderr[:400]}")
    try:
        report = json.loads(r.stdout)
    except ValueError:
        check(False, f"verify --json printed no JSON: {r.stdout[:200]} {r.stderr[:400]}")
        return
    check(report["equal"] is False, "verify does not call Datumaro's VOC equal")
    check(report["paired"] == 60 and report["only_in_a"] == 0 and report["only_in_b"] == 0,
          f"all 60 images paired: {report['paired']} paired, {report['only_in_a']} only in A, {report['only_in_b']} only in B")
    check(report["walk"]["mode"] == "indexed", f"Datumaro lists items in its own order; verify indexed: {report['walk']}")

    coco = json.load(open(ANN))
    category_names = {c["id"]: c["name"] for c in coco["categories"]}
    category_names[0] = "background"
    datumaro_names = labelmap_names(tree)
    colormap = voc_colormap()
    by_id = {img["image_id"]: img for img in report["images"]}
    expected_total = 0
    lost_images = 0
    for image in coco["images"]:
        stem = os.path.splitext(image["file_name"])[0]
        oracle = np.array(Image.open(os.path.join(REAL, "oracle_semantic", "instances_val2017", stem + ".png")))
        theirs = class_values(os.path.join(tree, "SegmentationClass", stem + ".png"), oracle.shape, colormap)
        check(oracle.shape == theirs.shape, f"{stem}: oracle {oracle.shape}, Datumaro {theirs.shape}")
        if oracle.shape != theirs.shape:
            continue
        oracle_named = np.vectorize(lambda v: category_names.get(int(v), f"category {v}").lower())(oracle)
        theirs_named = np.vectorize(lambda v: datumaro_names.get(int(v), f"value {v}").lower())(theirs)
        differing = int((oracle_named != theirs_named).sum())
        expected_total += differing
        got = by_id.get(image["id"], {}).get("differing_pixels", 0)
        check(got == differing, f"{stem}: verify reports {got} differing pixels, oracle vs Datumaro's class map: {differing}")
        if differing:
            lost = [f for f in by_id.get(image["id"], {}).get("instances", []) if f["kind"] == "lost"]
            lost_images += bool(lost)
    check(report["differing_pixels"] == expected_total,
          f"total differing pixels {report['differing_pixels']}, independent count {expected_total}")
    check(expected_total > 0, "Datumaro's VOC export loses pixels (its VOC exporter keeps only mask annotations)")
    check(report["instance_findings"]["lost"] > 0 and lost_images > 0,
          f"lost instances reported ({report['instance_findings']['lost']}, on {lost_images} images)")
    print(f"Datumaro VOC vs COCO: {report['differing_pixels']} px differ on {report['differing_images']} images, "
          f"{report['instance_findings']['lost']} instances lost, {report['instance_findings']['invented']} invented")


main()
finish()

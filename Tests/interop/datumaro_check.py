#!/usr/bin/env python3
"""Datumaro (the peer's own VOC importer and exporter) against cococonvert's VOC, both ways.

1. Our DEFAULT `coco2voc` output of each instances file of $SHARED/data/coco-real is imported with
   Datumaro's `voc` and `voc_segmentation` importers (which abort on a mask colour labelmap.txt does not
   declare, e.g. the void colour of crowd regions). Every listed item must come through, and the class
   and object maps rebuilt from Datumaro's masks (label name -> our labelmap.txt line, `ignored` -> 255;
   mask group -> instance index) must equal our PNGs pixel for pixel.
2. Datumaro imports the same COCO file (`coco_instances`) and exports a VOC tree itself (`voc`, images
   saved); `voc2coco` must read that tree: every COCO image comes through by file name with its size,
   the annotation-less ones as images with no annotations.

Skips (exit 0, with a message) only when `import datumaro` fails; `./dev setup` installs it.
"""
import json
import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_support import check, finish, run_convert  # noqa: E402

try:
    import datumaro as dm
    from datumaro.components.annotation import AnnotationType
except Exception as error:  # noqa: BLE001
    print(f"SKIP: datumaro cannot be imported ({error}); pip install datumaro")
    print("0 passed, 0 failed")
    sys.exit(0)

import numpy as np
from PIL import Image

logging.getLogger().setLevel(logging.ERROR)

SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
WORK = os.environ.get("WORK") or "/tmp/datumaro_check"
REAL = os.path.join(SHARED, "data", "coco-real", "instances")


def labelmap_values(root):
    """name -> pixel value of our labelmap.txt (line index; the void line -> 255)."""
    values = {}
    index = 0
    with open(os.path.join(root, "labelmap.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, color = line.split(":")[0], line.split(":")[1]
            values[name] = 255 if (name in ("ignored", "void") and color == "224,224,192") else index
            index += 1
    return values


def our_import_check(split):
    out = os.path.join(WORK, f"ours-{split}")
    ann = os.path.join(REAL, "annotations", f"instances_{split}.json")
    if not check(run_convert("--from", "coco", "--to", "voc", ann, out), f"coco2voc {split} with default options"):
        return
    values = labelmap_values(out)
    lists = os.path.join(out, "ImageSets", "Segmentation")
    ids = []
    for name in sorted(os.listdir(lists)):
        ids += [l.strip() for l in open(os.path.join(lists, name)) if l.strip()]
    for importer in ("voc", "voc_segmentation"):
        try:
            dataset = dm.Dataset.import_from(out, importer)
            items = {item.id: item for item in dataset}
        except Exception as error:  # noqa: BLE001
            check(False, f"{split}: Datumaro {importer} import failed: {error}")
            continue
        check(sorted(items) == sorted(ids), f"{split}/{importer}: {len(items)} items, {len(ids)} listed")
        names = dataset.categories()[AnnotationType.label]
        for item_id in ids:
            item = items.get(item_id)
            if item is None:
                continue
            ours_class = np.array(Image.open(os.path.join(out, "SegmentationClass", item_id + ".png")))
            ours_object = np.array(Image.open(os.path.join(out, "SegmentationObject", item_id + ".png")))
            class_map = np.zeros_like(ours_class)
            object_map = np.zeros_like(ours_object)
            unknown = []
            for ann in item.annotations:
                if ann.type != AnnotationType.mask:
                    continue
                mask = ann.image.astype(bool)
                name = names[ann.label].name if ann.label is not None else None
                if name not in values:
                    unknown.append(name)
                    continue
                class_map[mask] = values[name]
                object_map[mask] = ann.group if name not in ("ignored", "void") else 255
            check(not unknown, f"{split}/{importer}/{item_id}: labels not in labelmap.txt: {unknown}")
            d = int((class_map != ours_class).sum())
            check(d == 0, f"{split}/{importer}/{item_id}: class map differs in {d} pixels")
            if importer == "voc":
                d = int((object_map != ours_object).sum())
                check(d == 0, f"{split}/{importer}/{item_id}: object map differs in {d} pixels")


def datumaro_export_check(split):
    # Datumaro's COCO layout: <root>/annotations/instances_<split>.json and <root>/images/<split>/.
    root = os.path.join(WORK, f"coco-{split}")
    os.makedirs(os.path.join(root, "annotations"), exist_ok=True)
    os.makedirs(os.path.join(root, "images"), exist_ok=True)
    ann = os.path.join(REAL, "annotations", f"instances_{split}.json")
    for link, target in ((os.path.join(root, "annotations", f"instances_{split}.json"), os.path.abspath(ann)),
                         (os.path.join(root, "images", split), os.path.abspath(os.path.join(REAL, split)))):
        if not os.path.lexists(link):
            os.symlink(target, link)
    tree = os.path.join(WORK, f"datumaro-voc-{split}")
    dm.Dataset.import_from(root, "coco_instances").export(tree, "voc", save_media=True)
    out = os.path.join(WORK, f"datumaro-voc-{split}.json")
    if not check(run_convert("--from", "voc", "--to", "coco", tree, out), f"voc2coco of Datumaro's VOC export ({split})"):
        return
    source = json.load(open(ann))
    result = json.load(open(out))
    annotated = {a["image_id"] for a in source["annotations"]}
    got = {os.path.splitext(i["file_name"])[0]: i for i in result["images"]}
    counts = {}
    for a in result["annotations"]:
        counts[a["image_id"]] = counts.get(a["image_id"], 0) + 1
    empty = 0
    for image in source["images"]:
        stem = os.path.splitext(image["file_name"])[0]
        mine = got.get(stem)
        if not check(mine is not None, f"{split}: image {stem} missing from voc2coco of Datumaro's tree"):
            continue
        check((mine["width"], mine["height"]) == (image["width"], image["height"]),
              f"{split}/{stem}: size {mine['width']}x{mine['height']}, COCO says {image['width']}x{image['height']}")
        if image["id"] not in annotated:
            empty += 1
            check(counts.get(mine["id"], 0) == 0, f"{split}/{stem}: annotation-less image got annotations")
    check(len(result["images"]) == len(source["images"]),
          f"{split}: {len(result['images'])} images from Datumaro's tree, COCO has {len(source['images'])}")
    print(f"{split}: {len(source['images'])} images through voc2coco, {empty} without annotations")


for split in ("val2017", "train2017"):
    our_import_check(split)
    datumaro_export_check(split)
finish()

#!/usr/bin/env python3
"""Checks a VOC tree written by `cococonvert coco2voc` the way its consumers read it.

usage: voc_check.py [OUT [--split NAME] [--no-images]]

Without OUT (how Tests/interop/run_all.py calls it), it runs `$COCOCONVERT coco2voc --layout devkit`
on both instances files of $SHARED/data/coco-real into $WORK and checks each output. OUT is an
output directory (with VOCdevkit/VOC2012 inside for --layout devkit, or the tree itself).
For every id of ImageSets/Segmentation/<split>.txt (every list when --split is not given):
  - torchvision.datasets.VOCSegmentation's loading, done here without torch: the id list is read
    with `x.strip()` per line, JPEGImages/<id>.jpg opens and converts to RGB, SegmentationClass/<id>.png
    opens unchanged; the target must be mode 'P' with the VOC palette (first 21 entries, and entry
    255 when the palette has 256), image and target sizes equal;
  - SegmentationObject/<id>.png: mode 'P', VOC palette, same size; every instance index 1..254 it
    uses has an <object> in the XML (object k is instance k);
  - Annotations/<id>.xml parses with xml.etree; root <annotation> with folder, filename, size
    (width/height/depth integers equal to the mask size), segmented, and for each object name,
    pose, truncated/difficult/occluded in {0,1}, bndbox integers with 1 <= xmin <= xmax <= width
    (y likewise);
  - labelmap.txt: header, 4 ':'-fields per line, unique names, colours equal to the class palette.
Prints 'N passed, M failed' and exits non-zero when anything failed.
"""
import argparse
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
from PIL import Image


def voc_colormap(n=256):
    out = []
    for i in range(n):
        c, r, g, b = i, 0, 0, 0
        for j in range(8):
            r |= (c & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        out.append((r, g, b))
    return out


CMAP = voc_colormap()


def find_root(out):
    devkit = os.path.join(out, "VOCdevkit", "VOC2012")
    return devkit if os.path.isdir(devkit) else out


def palette_entries(img):
    pal = img.getpalette() or []
    return [tuple(pal[i:i + 3]) for i in range(0, len(pal) - 2, 3)]


def check_palette(img, what, problems):
    if img.mode != "P":
        problems.append(f"{what}: mode {img.mode}, not P")
        return
    entries = palette_entries(img)
    if len(entries) < 21 or entries[:21] != CMAP[:21]:
        problems.append(f"{what}: palette is not the VOC colormap in its first 21 entries ({len(entries)} entries)")
    elif len(entries) == 256 and entries[255] != CMAP[255]:
        problems.append(f"{what}: palette entry 255 is {entries[255]}, not {CMAP[255]}")


def check_labelmap(root, problems):
    path = os.path.join(root, "labelmap.txt")
    if not os.path.isfile(path):
        problems.append("labelmap.txt missing")
        return []
    labels = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[0] != "# label:color_rgb:parts:actions":
        problems.append("labelmap.txt: header missing")
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split(":")
        if len(fields) != 4:
            problems.append(f"labelmap.txt:{n}: {len(fields)} fields")
            continue
        if fields[0] in [l[0] for l in labels]:
            problems.append(f"labelmap.txt:{n}: duplicate {fields[0]}")
        rgb = tuple(int(v) for v in fields[1].split(","))
        labels.append((fields[0], rgb))
    if not labels or labels[0][0] != "background":
        problems.append("labelmap.txt: first label is not background")
    return labels


def check_xml(path, size, max_instance, problems):
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        problems.append(f"{path}: {e}")
        return
    if root.tag != "annotation":
        problems.append(f"{path}: root is {root.tag}")
        return
    for field in ["folder", "filename", "segmented", "size/width", "size/height", "size/depth"]:
        if root.find(field) is None or root.find(field).text is None:
            problems.append(f"{path}: missing {field}")
            return
    w, h = int(root.find("size/width").text), int(root.find("size/height").text)
    depth = int(root.find("size/depth").text)
    if (w, h) != size:
        problems.append(f"{path}: size {w}x{h}, mask {size[0]}x{size[1]}")
    if depth not in (1, 3, 4):
        problems.append(f"{path}: depth {depth}")
    objects = root.findall("object")
    if len(objects) < max_instance:
        problems.append(f"{path}: {len(objects)} objects, SegmentationObject uses index {max_instance}")
    for k, o in enumerate(objects, 1):
        for field in ["name", "pose", "truncated", "difficult", "occluded", "bndbox"]:
            if o.find(field) is None:
                problems.append(f"{path}: object {k} has no {field}")
                return
        for flag in ["truncated", "difficult", "occluded"]:
            if o.find(flag).text not in ("0", "1"):
                problems.append(f"{path}: object {k} {flag}={o.find(flag).text}")
        b = [int(o.find("bndbox/" + t).text) for t in ["xmin", "ymin", "xmax", "ymax"]]
        if not (1 <= b[0] <= b[2] <= w and 1 <= b[1] <= b[3] <= h):
            problems.append(f"{path}: object {k} bndbox {b} outside 1..{w} x 1..{h}")


def check_tree(out, split, no_images):
    """Checks one output tree; returns (passed, failed)."""
    root = find_root(out)
    passed, failed = 0, 0
    global_problems = []
    labels = check_labelmap(root, global_problems)
    sets = os.path.join(root, "ImageSets", "Segmentation")
    lists = [split + ".txt"] if split else sorted(f for f in os.listdir(sets) if f.endswith(".txt"))
    for name in lists:
        if not os.path.isfile(os.path.join(root, "ImageSets", "Main", name)):
            global_problems.append(f"ImageSets/Main/{name} missing")
    ids = []
    for name in lists:
        with open(os.path.join(sets, name)) as f:
            ids += [x.strip() for x in f.readlines() if x.strip()]  # as torchvision reads it
    for problem in global_problems:
        print("FAIL", problem)
        failed += 1
    for item in ids:
        problems = []
        target = Image.open(os.path.join(root, "SegmentationClass", item + ".png"))
        check_palette(target, f"SegmentationClass/{item}.png", problems)
        objects = Image.open(os.path.join(root, "SegmentationObject", item + ".png"))
        check_palette(objects, f"SegmentationObject/{item}.png", problems)
        if objects.size != target.size:
            problems.append(f"{item}: object mask {objects.size} vs class mask {target.size}")
        if not no_images:
            img = Image.open(os.path.join(root, "JPEGImages", item + ".jpg")).convert("RGB")
            if img.size != target.size:
                problems.append(f"{item}: image {img.size} vs mask {target.size}")
        values = set(int(v) for v in np.unique(np.asarray(target))) - {0, 255}
        if labels and values and max(values) >= len(labels):
            problems.append(f"{item}: class value {max(values)} beyond labelmap.txt ({len(labels)} labels)")
        palette = palette_entries(target)
        for v in values:
            if v < len(labels) and labels[v][1] != palette[v]:
                problems.append(f"{item}: class {v} colour {palette[v]} but labelmap.txt says {labels[v][1]}")
        instances = set(int(v) for v in np.unique(np.asarray(objects))) - {0, 255}
        check_xml(os.path.join(root, "Annotations", item + ".xml"), target.size, max(instances, default=0), problems)
        if problems:
            failed += 1
            for p in problems:
                print("FAIL", p)
        else:
            passed += 1
    return passed, failed


def check_escaping(binary, work):
    """Names with XML markup characters survive: xml.etree reads back exactly what the COCO file said."""
    name = 'fish & "chips" <\'x\'> é'
    coco = {
        "images": [{"id": 1, "file_name": "a&b'c.jpg", "width": 8, "height": 6}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 3, "iscrowd": 0, "area": 4.0,
                         "bbox": [1, 1, 2, 2], "segmentation": [[1, 1, 3, 1, 3, 3, 1, 3]]}],
        "categories": [{"id": 3, "name": name, "supercategory": "x"}],
    }
    src = os.path.join(work, "names.json")
    with open(src, "w", encoding="utf-8") as f:
        json.dump(coco, f, ensure_ascii=False)
    out = os.path.join(work, "voc-names")
    proc = subprocess.run([binary, "coco2voc", src, out, "--image-mode", "none", "--quiet"], capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"FAIL coco2voc names: exit {proc.returncode}: {proc.stderr.strip()}")
        return 0, 1
    problems = []
    root = ET.parse(os.path.join(out, "Annotations", "a&b'c.xml")).getroot()
    if root.find("filename").text != "a&b'c.jpg":
        problems.append(f"filename read back as {root.find('filename').text!r}")
    if [o.find("name").text for o in root.findall("object")] != [name]:
        problems.append(f"object names read back as {[o.find('name').text for o in root.findall('object')]!r}")
    with open(os.path.join(out, "labelmap.txt"), encoding="utf-8") as f:
        if f.read().split("\n")[2].split(":")[0] != name:
            problems.append("labelmap.txt does not carry the name")
    for p in problems:
        print("FAIL", p)
    return (0, 1) if problems else (1, 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?")
    ap.add_argument("--split")
    ap.add_argument("--no-images", action="store_true", help="the tree was written with --image-mode none")
    args = ap.parse_args()
    if args.out:
        passed, failed = check_tree(args.out, args.split, args.no_images)
    else:
        binary = os.environ["COCOCONVERT"]
        shared = os.environ["SHARED"]
        work = os.environ["WORK"]
        passed = failed = 0
        for split in ["val2017", "train2017"]:
            src = os.path.join(shared, "data", "coco-real", "instances", "annotations", f"instances_{split}.json")
            out = os.path.join(work, "voc-" + split)
            proc = subprocess.run([binary, "coco2voc", src, out, "--layout", "devkit", "--quiet"],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"FAIL coco2voc {split}: exit {proc.returncode}: {proc.stderr.strip()}")
                failed += 1
                continue
            # torchvision's image_set is train/val/trainval: the writer names the list after the split without its year.
            p, f = check_tree(out, split[:-4], False)
            passed, failed = passed + p, failed + f
        p, f = check_escaping(binary, work)
        passed, failed = passed + p, failed + f
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()

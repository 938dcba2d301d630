#!/usr/bin/env python3
"""Writes the tiny VOC fixtures under formats/voc/ with Pillow and xml.etree (a real peer).

Run from anywhere: python3 formats/voc/make_fixture.py
Outputs (committed; the Swift tests read them, never this script):
  plain/   JPEGImages, palette SegmentationClass/SegmentationObject, Annotations, ImageSets, labelmap.txt
  rgb/     the same items with RGB-coloured masks (CVAT / Datumaro "apply colormap" style) and a
           labelmap.txt with non-VOC colours
  devkit/VOCdevkit/VOC2012/  grayscale ("L") class masks, palette object masks, no labelmap.txt
           (the reader falls back to the 21 VOC classes)
  expected.json  per layout and item: every instance index with the class the reader must give it
           (majority class under its pixels, background 0 and void 255 not counted, ties to the
           smaller class), its pixel count and its mask bbox [x, y, w, h] (pycocotools toBbox form).
"""
import json
import os
import xml.etree.ElementTree as ET

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def voc_colormap(n=256):
    cmap = np.zeros((n, 3), dtype=np.uint8)
    for i in range(n):
        c, r, g, b = i, 0, 0, 0
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        cmap[i] = (r, g, b)
    return cmap


CMAP = voc_colormap()
VOC_CLASSES = ["background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair",
               "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa",
               "train", "tvmonitor"]


def items():
    """Two items: (id, class map, object map, [(name, xmin, ymin, xmax, ymax) per object]) with
    the objects in instance-index order."""
    # Item 1: 12 wide, 8 high.
    h, w = 8, 12
    cls = np.zeros((h, w), np.uint8)
    obj = np.zeros((h, w), np.uint8)
    # Instance 1: class 1, a 3x4 block, one pixel of it void.
    obj[1:4, 1:5] = 1
    cls[1:4, 1:5] = 1
    cls[1, 1] = 255
    obj[1, 1] = 255
    # Instance 2: class 2 block; two of its pixels painted class 3 in the class map (majority stays 2).
    obj[4:7, 6:10] = 2
    cls[4:7, 6:10] = 2
    cls[4, 6] = 3
    cls[4, 7] = 3
    # Instance 3: a tie: 2 pixels class 3, 2 pixels class 1 -> the smaller class (1) wins.
    obj[0, 8:12] = 3
    cls[0, 8:10] = 3
    cls[0, 10:12] = 1
    # Instance 4: only void/background under it in the class map -> the reader takes the XML name.
    obj[7, 0:2] = 4
    cls[7, 0] = 255
    yield ("2007_000001", cls, obj, [("aeroplane", 2, 2, 5, 4), ("bicycle", 7, 5, 10, 7),
                                       ("aeroplane", 9, 1, 12, 1), ("bird", 1, 8, 2, 8)])
    # Item 2: 10 x 10, a class-only region (no instance) and one instance crossing a column bottom.
    h, w = 10, 10
    cls = np.zeros((h, w), np.uint8)
    obj = np.zeros((h, w), np.uint8)
    cls[0:2, 0:10] = 15          # class 15 without any instance
    obj[7:10, 2] = 1             # instance 1: column 2 rows 7..9 and column 3 rows 0..2
    obj[0:3, 3] = 1
    cls[7:10, 2] = 20
    cls[0:3, 3] = 20
    cls[9, 9] = 255
    yield ("2007_000002", cls, obj, [("tvmonitor", 3, 1, 4, 10)])


def mask_bbox(m):
    ys, xs = np.nonzero(m)
    if len(xs) == 0:
        return [0, 0, 0, 0]
    return [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]


def expected_instances(cls, obj, objects, names):
    out = []
    for k in range(1, 255):
        m = obj == k
        if not m.any():
            continue
        values, counts = np.unique(cls[m], return_counts=True)
        keep = (values != 0) & (values != 255)
        values, counts = values[keep], counts[keep]
        if len(values):
            best = int(values[counts == counts.max()].min())
        else:
            best = names.index(objects[k - 1][0])
        out.append({"index": k, "class": best, "name": names[best], "pixels": int(m.sum()), "bbox": mask_bbox(m)})
    return out


def palette_png(arr, path):
    img = Image.fromarray(arr, mode="P")
    img.putpalette(CMAP.flatten().tolist())
    img.save(path)


def write_xml(path, item_id, w, h, objects):
    root = ET.Element("annotation")
    ET.SubElement(root, "folder").text = "VOC2012"
    ET.SubElement(root, "filename").text = item_id + ".jpg"
    size = ET.SubElement(root, "size")
    ET.SubElement(size, "width").text = str(w)
    ET.SubElement(size, "height").text = str(h)
    ET.SubElement(size, "depth").text = "3"
    ET.SubElement(root, "segmented").text = "1"
    for name, x0, y0, x1, y1 in objects:
        o = ET.SubElement(root, "object")
        ET.SubElement(o, "name").text = name
        ET.SubElement(o, "pose").text = "Unspecified"
        ET.SubElement(o, "truncated").text = "0"
        ET.SubElement(o, "difficult").text = "0"
        box = ET.SubElement(o, "bndbox")
        for k, v in zip(["xmin", "ymin", "xmax", "ymax"], [x0, y0, x1, y1]):
            ET.SubElement(box, k).text = str(v)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def write_layout(root, mode, labelmap):
    names = [n for n, _ in labelmap] if labelmap else VOC_CLASSES
    colors = {i: c for i, (_, c) in enumerate(labelmap)} if labelmap else {}
    for d in ["JPEGImages", "SegmentationClass", "SegmentationObject", "Annotations", "ImageSets/Segmentation"]:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    ids, expected = [], {}
    for item_id, cls, obj, objects in items():
        ids.append(item_id)
        h, w = cls.shape
        Image.new("RGB", (w, h), (90, 120, 150)).save(os.path.join(root, "JPEGImages", item_id + ".jpg"), quality=90)
        cls_path = os.path.join(root, "SegmentationClass", item_id + ".png")
        obj_path = os.path.join(root, "SegmentationObject", item_id + ".png")
        if mode == "palette":
            palette_png(cls, cls_path)
            palette_png(obj, obj_path)
        elif mode == "gray":
            Image.fromarray(cls, mode="L").save(cls_path)
            palette_png(obj, obj_path)
        else:  # rgb: class colours from the labelmap (VOC colormap for 255), objects in the VOC colormap
            lut = CMAP.copy()
            for i, c in colors.items():
                lut[i] = c
            Image.fromarray(lut[cls], mode="RGB").save(cls_path)
            Image.fromarray(CMAP[obj], mode="RGB").save(obj_path)
        write_xml(os.path.join(root, "Annotations", item_id + ".xml"), item_id, w, h, objects)
        expected[item_id] = {"width": w, "height": h, "instances": expected_instances(cls, obj, objects, names)}
    with open(os.path.join(root, "ImageSets", "Segmentation", "train.txt"), "w") as f:
        f.write("\n".join(ids) + "\n")
    if labelmap:
        with open(os.path.join(root, "labelmap.txt"), "w") as f:
            f.write("# label:color_rgb:parts:actions\n")
            for name, (r, g, b) in labelmap:
                f.write(f"{name}:{r},{g},{b}::\n")
    return {"categories": names[1:], "items": expected}


def main():
    voc_labelmap = [(n, tuple(int(v) for v in CMAP[i])) for i, n in enumerate(VOC_CLASSES)]
    # Non-VOC colours: the RGB reader must decode through labelmap.txt, not the colormap.
    rgb_labelmap = [(n, ((i * 37) % 256, (i * 91 + 40) % 256, (i * 53 + 7) % 256)) for i, n in enumerate(VOC_CLASSES)]
    rgb_labelmap[0] = ("background", (0, 0, 0))
    expected = {
        "plain": write_layout(os.path.join(HERE, "plain"), "palette", voc_labelmap),
        "rgb": write_layout(os.path.join(HERE, "rgb"), "rgb", rgb_labelmap),
        "devkit": write_layout(os.path.join(HERE, "devkit", "VOCdevkit", "VOC2012"), "gray", None),
    }
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Interop check: COCO-Stuff training maps from several inputs (`coco2png instances.json stuff.json OUT`).

Expected maps come from the pycocotools oracle ($SHARED/data/coco-real/oracle_semantic: pixel = category
id, 0 unlabeled, non-crowd annotations painted in file order), combined the way COCO-Stuff's
stuffthingmaps are: stuff drawn over things except for 'other' (183), which only fills pixels no thing
covers. Then:
- cocostuff182 (stuffthingmaps_trainval2017): value = id - 1 for ids 1..182, 255 for unlabeled and 183;
- cocostuff171 (mmsegmentation's *_labelTrainIds.png): the stuffthingmaps value of each class becomes
  its position in mmseg's COCOStuffDataset class list (matched by name, not by id), 255 stays 255.
Pixels are compared with Pillow, as are the default palettes (mmseg's colours at the class's index).

A second case splits instances_train2017.json into two files (first and second half of `annotations`,
the second file listing its images in reverse order) and merges them back: per image, the first
file's annotations come before the second's, as in the original file, so the merged map must equal
the oracle's. Reads COCOCONVERT, SHARED and WORK; prints 'N passed, M failed'.
"""
import json
import os
import subprocess
import tempfile

import numpy as np
from PIL import Image

from interop_support import binary, check, finish

SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
REAL = os.path.join(SHARED, "data", "coco-real")
ORACLE = os.path.join(REAL, "oracle_semantic")
INSTANCES = os.path.join(REAL, "instances", "annotations", "instances_train2017.json")
STUFF = os.path.join(REAL, "stuff", "annotations", "stuff_train2017.json")
WORK = os.environ.get("WORK") or tempfile.mkdtemp(prefix="cocostuff-")

# mmsegmentation's COCOStuffDataset class order: train id = position in this list (facts from
# mmseg/datasets/coco_stuff.py; 80 things then 91 stuff classes).
CLASSES = [name.strip() for name in """
person, bicycle, car, motorcycle, airplane, bus, train, truck, boat, traffic light, fire hydrant,
stop sign, parking meter, bench, bird, cat, dog, horse, sheep, cow, elephant, bear, zebra, giraffe,
backpack, umbrella, handbag, tie, suitcase, frisbee, skis, snowboard, sports ball, kite, baseball bat,
baseball glove, skateboard, surfboard, tennis racket, bottle, wine glass, cup, fork, knife, spoon, bowl,
banana, apple, sandwich, orange, broccoli, carrot, hot dog, pizza, donut, cake, chair, couch, potted plant,
bed, dining table, toilet, tv, laptop, mouse, remote, keyboard, cell phone, microwave, oven, toaster, sink,
refrigerator, book, clock, vase, scissors, teddy bear, hair drier, toothbrush, banner, blanket, branch,
bridge, building-other, bush, cabinet, cage, cardboard, carpet, ceiling-other, ceiling-tile, cloth,
clothes, clouds, counter, cupboard, curtain, desk-stuff, dirt, door-stuff, fence, floor-marble,
floor-other, floor-stone, floor-tile, floor-wood, flower, fog, food-other, fruit, furniture-other, grass,
gravel, ground-other, hill, house, leaves, light, mat, metal, mirror-stuff, moss, mountain, mud, napkin,
net, paper, pavement, pillow, plant-other, plastic, platform, playingfield, railing, railroad, river, road,
rock, roof, rug, salad, sand, sea, shelf, sky-other, skyscraper, snow, solid-other, stairs, stone, straw,
structural-other, table, tent, textile-other, towel, tree, vegetable, wall-brick, wall-concrete,
wall-other, wall-panel, wall-stone, wall-tile, wall-wood, water-other, waterdrops, window-blind,
window-other, wood
""".split(",")]


def load(path):
    with open(path) as f:
        return json.load(f)


def oracle(kind, stem):
    p = os.path.join(ORACLE, kind, stem + ".png")
    return np.array(Image.open(p)) if os.path.exists(p) else None


def stuffthing_ids(stem):
    """Category-id map of one image: things, then stuff over them ('other' only where no thing is)."""
    things, stuff = oracle("instances_train2017", stem), oracle("stuff_train2017", stem)
    if things is None:
        return stuff
    if stuff is None:
        return things
    ids = things.copy()
    over = (stuff != 0) & ((stuff != 183) | (things == 0))
    ids[over] = stuff[over]
    return ids


def to182(ids):
    out = np.full(ids.shape, 255, np.uint8)
    labeled = (ids >= 1) & (ids <= 182)
    out[labeled] = (ids[labeled] - 1).astype(np.uint8)
    return out


def to171(map182, names):
    """mmseg's conversion of a stuffthingmap: each class value to its train id, 255 stays."""
    lut = np.full(256, 255, np.uint8)
    for value in range(182):
        name = names.get(value + 1)
        if name in CLASSES:
            lut[value] = CLASSES.index(name)
    return lut[map182]


def convert(*args):
    r = subprocess.run([binary(), *args, "--quiet"], capture_output=True, text=True)
    check(r.returncode == 0, f"cococonvert {' '.join(args)} exited {r.returncode}: {r.stderr.strip()}")
    return r.returncode == 0


def main():
    check(len(CLASSES) == 171, f"mmseg class list has {len(CLASSES)} names, not 171")
    names = {}
    for f in (INSTANCES, STUFF):
        for c in load(f)["categories"]:
            names[c["id"]] = c["name"]
    stems = sorted({os.path.splitext(f)[0] for kind in ("instances_train2017", "stuff_train2017")
                    for f in os.listdir(os.path.join(ORACLE, kind))})

    for preset in ("cocostuff182", "cocostuff171"):
        out = os.path.join(WORK, preset)
        if not convert("coco2png", INSTANCES, STUFF, out, "--labels", preset):
            continue
        written = sorted(os.path.splitext(f)[0] for f in os.listdir(out) if f.endswith(".png"))
        check(written == stems, f"{preset}: wrote {len(written)} maps for {len(stems)} images")
        same = 0
        for stem in stems:
            expected = to182(stuffthing_ids(stem))
            if preset == "cocostuff171":
                expected = to171(expected, names)
            image = Image.open(os.path.join(out, stem + ".png"))
            got = np.array(image)
            if check(image.mode == "P" and got.shape == expected.shape, f"{preset} {stem}: mode {image.mode}, shape {got.shape}"):
                diff = int((got != expected).sum())
                same += check(diff == 0, f"{preset} {stem}: {diff} pixels differ from the stuffthingmaps convention")
        print(f"{preset}: {same} of {len(stems)} maps equal pixel for pixel")
        palette = Image.open(os.path.join(out, stems[0] + ".png")).getpalette()
        person = 0                                   # person is value 0 in both conventions
        wood = 181 if preset == "cocostuff182" else 170
        check(tuple(palette[3 * person:3 * person + 3]) == (0, 192, 64), f"{preset}: person colour {palette[0:3]}")
        check(tuple(palette[3 * wood:3 * wood + 3]) == (64, 64, 0), f"{preset}: wood colour {palette[3 * wood:3 * wood + 3]}")
        check(tuple(palette[765:768]) == (0, 0, 0), f"{preset}: unlabeled (255) colour {palette[765:768]}")

    # Split and merged back: the second half lists its images in reverse order.
    data = load(INSTANCES)
    half = len(data["annotations"]) // 2
    first = dict(data, annotations=data["annotations"][:half])
    second = dict(data, annotations=data["annotations"][half:], images=list(reversed(data["images"])))
    paths = [os.path.join(WORK, "split", name) for name in ("first.json", "second.json")]
    os.makedirs(os.path.dirname(paths[0]), exist_ok=True)
    for path, part in zip(paths, (first, second)):
        with open(path, "w") as f:
            json.dump(part, f)
    out = os.path.join(WORK, "split-merged")
    if convert("coco2png", *paths, out, "--labels", "coco", "--palette", "none"):
        stems = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(ORACLE, "instances_train2017")))
        same = 0
        for stem in stems:
            got = np.array(Image.open(os.path.join(out, stem + ".png")))
            diff = int((got != oracle("instances_train2017", stem)).sum())
            same += check(diff == 0, f"split-merged {stem}: {diff} pixels differ from the oracle")
        print(f"split and merged back: {same} of {len(stems)} maps equal the oracle")
    finish()


if __name__ == "__main__":
    main()

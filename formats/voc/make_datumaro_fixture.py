#!/usr/bin/env python3
"""Writes formats/voc/datumaro/: a VOC tree exported by Datumaro itself (pip install datumaro, 1.13),
and formats/voc/datumaro_expected.json with what a reader must find in it (computed here with numpy).

Two items: `a` (8x6 JPEG, a cat and a dog mask) and `b` (5x4 JPEG, no annotations: Datumaro lists it
in ImageSets but writes no mask and no XML for it). The label map is Datumaro's default VOC one, whose
last line is `ignored:224,224,192::` (its void label, index 21).

usage: python3 formats/voc/make_datumaro_fixture.py   (from the repository root)
"""
import json
import os
import shutil

import datumaro as dm
import numpy as np
from datumaro.components.annotation import Mask
from datumaro.components.media import Image as DmImage
from datumaro.plugins.data_formats.voc.format import VocLabel, make_voc_categories

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "datumaro")
shutil.rmtree(out, ignore_errors=True)

cat = np.zeros((6, 8), dtype=np.uint8)
cat[1:4, 1:4] = 1
dog = np.zeros((6, 8), dtype=np.uint8)
dog[2:6, 5:8] = 1
rng = np.random.default_rng(13)
items = [
    dm.DatasetItem(id="a", subset="train", media=DmImage.from_numpy(rng.integers(0, 255, (6, 8, 3), dtype=np.uint8)),
                   annotations=[Mask(cat, label=VocLabel.cat.value, id=1, group=1),
                                Mask(dog, label=VocLabel.dog.value, id=2, group=2)]),
    dm.DatasetItem(id="b", subset="train", media=DmImage.from_numpy(rng.integers(0, 255, (4, 5, 3), dtype=np.uint8))),
]
dataset = dm.Dataset.from_iterable(items, categories=make_voc_categories())
dataset.export(out, "voc", save_media=True, label_map="voc")

def box(m):
    ys, xs = np.nonzero(m)
    return [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]

expected = {
    "labelmap_last_line": open(os.path.join(out, "labelmap.txt")).read().strip().split("\n")[-1],
    "categories": [l.name for l in VocLabel if 0 < l.value < 255],
    "items": {
        "a": {"width": 8, "height": 6, "instances": [
            {"class": VocLabel.cat.value, "name": "cat", "pixels": int(cat.sum()), "bbox": box(cat)},
            {"class": VocLabel.dog.value, "name": "dog", "pixels": int(dog.sum()), "bbox": box(dog)}]},
        "b": {"width": 5, "height": 4, "instances": []},
    },
}
json.dump(expected, open(os.path.join(here, "datumaro_expected.json"), "w"), indent=1)
print(json.dumps(expected))

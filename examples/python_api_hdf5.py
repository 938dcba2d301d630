#!/usr/bin/env python3
"""From Python: convert COCO to HDF5 shards with the cococonvert API, then feed them to a training loop.

Needs the wheel (`pip install dist/cococonvert-*.whl`; `./dev wheel` builds it) and h5py. Writes under
$OUT (default: out/ in the repository).
"""
import os
import sys

import h5py
import numpy as np

import cococonvert

here = os.path.dirname(os.path.abspath(__file__))
annotations = os.path.join(here, "coco-mini", "annotations", "instances_val2017.json")
out = os.path.join(os.environ.get("OUT", os.path.join(here, "..", "out")), "examples-python", "shards")

# 1. Convert: options are the CLI's (`cococonvert coco2hdf5 --help`), as keyword arguments.
summary = cococonvert.convert(annotations, out, dst="hdf5", shard=4,
                              progress=lambda done, total: print(f"\r{done}/{total}", end="", file=sys.stderr))
print(f"\n{summary.samples} samples, {summary.instances} instances → {summary.files} files in {summary.seconds:.2f} s")


# 2. Load: a generator of (label map, image id) batches, the way a training loop reads the shards.
def batches(directory, batch_size):
    for name in sorted(n for n in os.listdir(directory) if n.endswith(".h5")):
        with h5py.File(os.path.join(directory, name), "r") as shard:
            labels, heights, widths = shard["labels"], shard["heights"][:], shard["widths"][:]
            for start in range(0, labels.shape[0], batch_size):
                stop = min(start + batch_size, labels.shape[0])
                # (B, H, W) padded with the ignore value; the true size of each map is in heights/widths.
                yield labels[start:stop], shard["image_ids"][start:stop], heights[start:stop], widths[start:stop]


seen = 0
for labels, image_ids, heights, widths in batches(out, batch_size=2):
    for label, image_id, h, w in zip(labels, image_ids, heights, widths):
        classes = np.unique(label[:h, :w])
        print(f"image {int(image_id)}: {w}x{h}, {len(classes)} label values")
    seen += len(labels)
assert seen == summary.samples, (seen, summary.samples)
print(f"loaded {seen} label maps in batches of 2")

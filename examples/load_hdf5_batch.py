#!/usr/bin/env python3
"""Loads a batch of label maps from cococonvert HDF5 shards the way a training loop would."""
import glob
import sys

import h5py
import numpy as np

shards = sorted(glob.glob(f"{sys.argv[1]}/*.h5"))
with h5py.File(shards[0], "r") as f:
    labels, heights, widths = f["labels"], f["heights"][:], f["widths"][:]
    ignore = int(f.attrs["ignore_index"])
    batch = labels[0:2]                      # (2, H, W), padded with the ignore value
    for i in range(batch.shape[0]):
        valid = batch[i, : heights[i], : widths[i]]
        classes = sorted(int(v) for v in np.unique(valid) if v not in (0, ignore))
        print(f"sample {i}: image {int(f['image_ids'][i])}, {widths[i]}x{heights[i]}, classes {classes}")
    print(f"{len(shards)} shards, labels {labels.dtype} {labels.shape}, ignore {ignore}")

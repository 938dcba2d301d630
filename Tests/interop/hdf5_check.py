#!/usr/bin/env python3
"""Interop check for HDF5 shards, run by run_all.py: for every COCO file of ../shared/data/coco-real,
`cococonvert coco2hdf5` (--shard 7) and `cococonvert coco2png` with the same label options, then
h5py_compare.py checks with h5py that labels[i, :h, :w] equals the PNG, padding is the ignore value,
and every instance's RLE equals the pycocotools oracle.

Environment: COCOCONVERT (binary), SHARED (../shared), WORK (scratch directory).
"""
import os
import re
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
binary = os.environ["COCOCONVERT"]
shared = os.environ["SHARED"]
work = os.environ["WORK"]
real = os.path.join(shared, "data", "coco-real")
files = [
    "instances/annotations/instances_val2017.json",
    "instances/annotations/instances_train2017.json",
    "stuff/annotations/stuff_train2017.json",
    "panoptic/annotations/panoptic_val2017.json",
    "results/instances_val2014_fakesegm100_results.json",
]
passed = failed = 0
for k, name in enumerate(files):
    source = os.path.join(real, name)
    shards, pngs = os.path.join(work, f"h5-{k}"), os.path.join(work, f"png-{k}")
    options = ["--labels", "coco", "--crowd", "include" if "panoptic" in name else "skip", "-q"]
    for command in (["coco2hdf5", source, shards, "--shard", "7"], ["coco2png", source, pngs, "--palette", "none"]):
        run = subprocess.run([binary] + command + options, capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL {name}: cococonvert {' '.join(command)}: {run.stderr.strip()}")
            failed += 1
    compare = subprocess.run([sys.executable, os.path.join(here, "h5py_compare.py"), shards, pngs,
                              "--oracle", os.path.join(real, "oracle_annotations.jsonl"), "--coco", source],
                             capture_output=True, text=True)
    found = re.findall(r"^(\d+) passed, (\d+) failed", compare.stdout, re.M)
    p, f = (int(found[-1][0]), int(found[-1][1])) if found else (0, 1)
    if compare.returncode != 0 and f == 0:
        f = 1
    if f:
        print(f"FAIL {name}:\n{compare.stdout[-2000:]}{compare.stderr[-2000:]}")
    print(f"{name}: {p} passed, {f} failed")
    passed += p
    failed += f
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

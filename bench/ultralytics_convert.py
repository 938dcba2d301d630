#!/usr/bin/env python3
"""Ultralytics' own COCO → YOLO segmentation converter, as its users run it (the bench baseline for
coco2yolo): `convert_coco(labels_dir=…, save_dir=…, use_segments=True)` on one instances file."""
import os
import sys
import tempfile

from ultralytics.data.converter import convert_coco


def main():
    annotations, out = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as labels_dir:
        # convert_coco converts every *.json of a directory: give it just this one.
        os.symlink(os.path.abspath(annotations), os.path.join(labels_dir, "instances_bench.json"))
        convert_coco(labels_dir=labels_dir, save_dir=out, use_segments=True)


if __name__ == "__main__":
    main()

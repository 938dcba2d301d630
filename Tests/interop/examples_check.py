#!/usr/bin/env python3
"""Runs every examples/*.sh with the built binary and checks the files each one promises.

Environment: COCOCONVERT (binary), WORK (scratch directory).
"""
import json
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
examples = os.path.join(root, "examples")
work = os.environ["WORK"]
env = dict(os.environ, OUT=work)
expected = {
    "coco-to-voc.sh": ["examples-voc/voc/VOCdevkit/VOC2012/SegmentationClass/000000229358.png",
                       "examples-voc/voc/VOCdevkit/VOC2012/Annotations/000000229358.xml",
                       "examples-voc/back.json"],
    "coco-to-png.sh": ["examples-png/contiguous/000000229358.png", "examples-png/coco-ids/labels.json",
                       "examples-png/voc21/000000229358.png"],
    "coco-to-hdf5.sh": ["examples-hdf5/shards/val2017-00000-of-00003.h5", "examples-hdf5/back.json"],
    "coco-to-tfrecord.sh": ["examples-tfrecord/deeplab/val2017-00000-of-00002.tfrecord",
                            "examples-tfrecord/od/label_map.pbtxt", "examples-tfrecord/back.json",
                            "examples-tfrecord/labels/000000229358.png"],
}
passed = failed = 0
for script in sorted(f for f in os.listdir(examples) if f.endswith(".sh")):
    run = subprocess.run(["bash", os.path.join(examples, script)], env=env, capture_output=True, text=True)
    ok = run.returncode == 0 and all(os.path.exists(os.path.join(work, p)) for p in expected.get(script, []))
    if script not in expected:
        ok = False
        print(f"FAIL {script}: no expectations in examples_check.py")
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {script} (exit {run.returncode})\n{run.stdout[-1500:]}\n{run.stderr[-1500:]}")
for back in ["examples-voc/back.json", "examples-hdf5/back.json", "examples-tfrecord/back.json"]:
    path = os.path.join(work, back)
    try:
        with open(path) as f:
            data = json.load(f)
        ok = len(data["images"]) == 8 and len(data["annotations"]) > 0
    except (OSError, ValueError, KeyError):
        ok = False
    passed += ok
    failed += not ok
    if not ok:
        print(f"FAIL {back}: not a COCO file with the 8 coco-mini images")
# The Python API example, on the package source (python/) and this build's binary; Tests/packaging
# runs it again from the installed wheel.
api_env = dict(env, PYTHONPATH=os.path.join(root, "python"), COCOCONVERT_BINARY=os.environ["COCOCONVERT"])
run = subprocess.run([sys.executable, os.path.join(examples, "python_api_hdf5.py")], env=api_env,
                     capture_output=True, text=True)
ok = run.returncode == 0 and "loaded 8 label maps" in run.stdout \
    and os.path.exists(os.path.join(work, "examples-python/shards/val2017-00000-of-00002.h5"))
passed += ok
failed += not ok
if not ok:
    print(f"FAIL python_api_hdf5.py (exit {run.returncode})\n{run.stdout[-1500:]}\n{run.stderr[-1500:]}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

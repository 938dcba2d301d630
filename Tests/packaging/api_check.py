#!/usr/bin/env python3
"""The Python API of the installed wheel (`import cococonvert`), against the binary it carries.

Run by wheel_check.sh with the venv's python, where neither the Swift toolchain nor the system
libpng/libhdf5 are visible. Environment: WORK (scratch directory).
"""
import json
import os
import subprocess
import sys

import cococonvert

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MINI = os.path.join(ROOT, "examples", "coco-mini", "annotations", "instances_val2017.json")
WORK = os.environ["WORK"]
BIN = cococonvert.binary()
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def raises(kind, call, *words):
    try:
        call()
    except kind as error:
        text = str(error)
        return all(w in text for w in words), text
    except Exception as error:  # noqa: BLE001 - reported as the wrong kind
        return False, f"{type(error).__name__}: {error}"
    return False, "nothing raised"


# --- the package, the console script and `python -m` are the same binary ---
version = subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.strip()
check(version == cococonvert.__version__, f"binary --version {version!r} == package {cococonvert.__version__!r}")
module = subprocess.run([sys.executable, "-m", "cococonvert", "--version"], capture_output=True, text=True)
check(module.stdout.strip() == version and module.returncode == 0, "python -m cococonvert --version")
script = os.path.join(os.path.dirname(sys.executable), "cococonvert")
check(subprocess.run([script, "--version"], capture_output=True, text=True).stdout.strip() == version,
      "the venv's cococonvert script")
check(BIN.startswith(os.path.dirname(cococonvert.__file__)), f"the binary is the wheel's own ({BIN})")

# --- options are the CLI's own, checked before anything runs ---
catalog = cococonvert.formats()
voc = next(f for f in catalog["formats"] if f["name"] == "voc")
help_text = subprocess.run([BIN, "coco2voc", "--help"], capture_output=True, text=True).stdout
names = [o["name"] for o in catalog["common_options"] + voc["writer_options"]]
check(all(f"--{n}" in help_text for n in names), "formats --json lists exactly options that coco2voc --help documents")
out = os.path.join(WORK, "never")
flag_format, flag = next((f["name"], o["name"].replace("-", "_")) for f in catalog["formats"]
                         for o in f["writer_options"] if not o["takes_value"])
for label, kind, call, words in [
    ("unknown option", TypeError, lambda: cococonvert.convert(MINI, out, dst="voc", bogus=1), ["bogus"]),
    ("near-miss option", TypeError, lambda: cococonvert.convert(MINI, out, dst="voc", layuot="devkit"), ["layout"]),
    ("another route's option", TypeError, lambda: cococonvert.convert(MINI, out, dst="voc", shard=1000), ["shard"]),
    ("value outside the choices", ValueError, lambda: cococonvert.convert(MINI, out, dst="voc", layout="nope"),
     ["devkit"]),
    ("value for a flag", TypeError, lambda: cococonvert.convert(MINI, out, dst=flag_format, **{flag: "yes"}), ["flag"]),
    ("an option the API sets", TypeError, lambda: cococonvert.convert(MINI, out, dst="voc", quiet=True), ["quiet"]),
    ("bad on_error", ValueError, lambda: cococonvert.convert(MINI, out, dst="voc", on_error="ignore"), ["skip"]),
    ("unknown dst", ValueError, lambda: cococonvert.convert(MINI, out, dst="vok"), ["voc"]),
]:
    ok, text = raises(kind, call, *words)
    check(ok and not os.path.exists(out), f"{label}: {kind.__name__} before running ({text[:110]})")

# --- a malformed input raises ConversionError with the CLI's fields ---
bad_text = json.dumps({
    "images": [{"id": 1, "width": 10, "height": 10, "file_name": "a.jpg"}],
    "annotations": [{"id": 7, "image_id": 1, "category_id": 1, "iscrowd": 1, "area": 1, "bbox": [0, 0, 1, 1],
                     "segmentation": {"counts": [1, 2, 3], "size": [10, 10]}}],
    "categories": [{"id": 1, "name": "thing"}]}, separators=(",", ":"))
bad = os.path.join(WORK, "bad.json")
with open(bad, "w") as f:
    f.write(bad_text)
bad_out = os.path.join(WORK, "bad-out")
try:
    cococonvert.convert(bad, bad_out, dst="png")
    check(False, "malformed RLE raises ConversionError")
except cococonvert.ConversionError as e:
    # The counts [1,2,3] sum to 6, not 10×10: the error points at them.
    check((e.code, e.exit_status, e.file, e.image_id, e.annotation_id, e.field)
          == ("invalid-mask", 65, bad, 1, 7, "segmentation"), f"error fields {vars(e)}")
    check(e.byte_offset == bad_text.index("[1,2,3]"), f"byte offset {e.byte_offset} is that of the counts")
    check("100" in e.message and "annotation 7" in str(e), f"message: {e}")
check(not os.path.exists(bad_out), "a failed run leaves no output")
try:
    cococonvert.convert(os.path.join(WORK, "missing.json"), bad_out, src="coco", dst="png")
    check(False, "a missing input raises")
except cococonvert.ConversionError as e:
    check(e.exit_status != 0 and e.file and "missing.json" in e.file, f"missing input: {e} ({e.code})")
summary = cococonvert.convert(bad, bad_out, dst="png", on_error="skip")
check(summary.skipped == 1 and summary.skip_report and os.path.exists(summary.skip_report),
      f"on_error='skip': {summary.skipped} skipped, listed in {summary.skip_report}")

# --- progress is called with increasing counts up to the total ---
n = 300
many = {"images": [], "annotations": [], "categories": [{"id": 1, "name": "square"}]}
for i in range(1, n + 1):
    many["images"].append({"id": i, "width": 32, "height": 24, "file_name": f"{i:06d}.jpg"})
    x = i % 20
    many["annotations"].append({"id": i, "image_id": i, "category_id": 1, "iscrowd": 0, "area": 36.0,
                                "bbox": [x, 2, 6, 6], "segmentation": [[x, 2, x + 6, 2, x + 6, 8, x, 8]]})
many_path = os.path.join(WORK, "many.json")
with open(many_path, "w") as f:
    json.dump(many, f)
calls = []
os.environ["COCOCONVERT_PROGRESS_INTERVAL"] = "0"
summary = cococonvert.convert(many_path, os.path.join(WORK, "many-png"), dst="png", jobs=2,
                              progress=lambda done, total: calls.append((done, total)))
del os.environ["COCOCONVERT_PROGRESS_INTERVAL"]
dones = [d for d, _ in calls]
check(len(calls) >= 3 and dones == sorted(dones) and dones[0] == 0 and dones[-1] == n,
      f"progress: {len(calls)} calls, 0 → {dones[-1] if dones else None}, never decreasing")
check({t for _, t in calls} == {n}, "progress: the total is known from the start")
check(summary.samples == n and summary.instances == n, f"summary of {n} generated images: {summary}")

# --- the summary equals the CLI's ---
with open(MINI) as f:
    mini = json.load(f)
api = cococonvert.convert(MINI, os.path.join(WORK, "api-voc"), dst="voc", layout="devkit")
report_path = os.path.join(WORK, "cli-report.json")
cli = subprocess.run([BIN, "coco2voc", MINI, os.path.join(WORK, "api-check-cli-voc"), "--layout", "devkit",
                      "--report", f"json={report_path}"], capture_output=True, text=True)
with open(report_path) as f:
    report = json.load(f)
fields = ["route", "input", "samples", "instances", "files", "bytes", "skipped", "skip_report"]
check(cli.returncode == 0 and all(getattr(api, k) == report[k] for k in fields)
      and list(api.notes) == report["notes"], f"Summary == the CLI's --report ({api})")
check(f"coco → voc: {api.samples} samples, {api.instances} instances" in cli.stderr
      and f"wrote {api.files} files" in cli.stderr, "Summary == the CLI's printed summary")
check(api.samples == len(mini["images"]), f"{api.samples} samples = the {len(mini['images'])} images of coco-mini")
segmentation_class = os.path.join(WORK, "api-voc", "VOCdevkit", "VOC2012", "SegmentationClass")
check(len(os.listdir(segmentation_class)) == len(mini["images"]), "one class map per image")

# An option added to the CLI reaches the API through formats --json, with no table here to update.
if any(o["name"] == "limit" for o in catalog["common_options"]):
    limited = cococonvert.convert(MINI, os.path.join(WORK, "limit-png"), dst="png", limit=5)
    check(limited.samples == 5 and len([n for n in os.listdir(os.path.join(WORK, "limit-png")) if n.endswith(".png")]) == 5,
          "limit=5 writes 5 label maps")

# --- inspect and detect ---
cli_inspect = json.loads(subprocess.run([BIN, "inspect", "--json", MINI], capture_output=True, text=True).stdout)
api_inspect = cococonvert.inspect(MINI)
for timing in (api_inspect, cli_inspect):
    timing.pop("seconds", None)
check(api_inspect == cli_inspect and cli_inspect["annotations"] == len(mini["annotations"]),
      "inspect() == inspect --json (but for the time it took)")
check(cococonvert.detect(MINI) == "coco", "detect() says coco")

# --- README's Python example runs as printed (on coco-mini) ---
with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
    section = f.read().split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
example = section.split("```python\n", 1)[1].split("```", 1)[0]
example = example.replace('"instances_val2017.json"', repr(MINI)).replace('"VOC/"', repr(os.path.join(WORK, "readme-voc")))
try:
    exec(compile(example, "README.md", "exec"), {})
    ok = os.path.isdir(os.path.join(WORK, "readme-voc", "VOCdevkit"))
except Exception as error:  # noqa: BLE001 - reported
    ok = False
    print(error)
check(ok and len(example.strip().splitlines()) <= 6, "README's Python example runs")

print(f"{'FAILED' if failures else 'passed'}: {len(failures)} failures")
sys.exit(1 if failures else 0)

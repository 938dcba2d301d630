#!/usr/bin/env python3
"""cococonvert against the tools users run today, in one run, on the same generated files.

    ./dev bench                 10k-image synthetic instances file
    ./dev bench --full          also the full train2017-scale file (118,287 images, ~470 MB)

Data is generated once with ../shared/bench/gen_coco.py (seed 0) and cached outside the repository
(--data, default ~/.cache/cococonvert-bench). Every command runs under /usr/bin/time -v; the table
gives wall seconds, images/s, peak RSS and the speed ratio against the baseline of the same scale
(the seed pipeline for conversions, pycocotools COCO() for inspect).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("SHARED", os.path.join(HERE, "..", "..", "shared"))
BASE = os.path.join(SHARED, "bench")
SCALES = {"10k": 10000, "full": 118287}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_data(data, scale, need_images=True):
    os.makedirs(data, exist_ok=True)
    path = os.path.join(data, f"inst_{scale}.json")
    if not os.path.exists(path):
        print(f"generating {path} ...", file=sys.stderr, flush=True)
        sh([sys.executable, os.path.join(BASE, "gen_coco.py"), "--kind", "instances", "--images", str(SCALES[scale]),
            "--seed", "0", "--out", path + ".part", "--workers", "2"])
        os.rename(path + ".part", path)
    images = os.path.join(data, f"images_{scale}")
    if need_images and not os.path.exists(os.path.join(images, DONE)):
        make_images(path, images)
    return path, images


LINKS_PER_SOURCE = 20000
# The JPEG ../shared/bench/make_images.py links by default (77.5 KB); it stays in the data cache.
JPEG = os.path.join(SHARED, "data", "coco-real", "instances", "val2017", "000000006818.jpg")
DONE = f".done-{os.path.basename(JPEG)}-{LINKS_PER_SOURCE}"


def make_images(annotations, directory):
    """Gives every image record a JPEG: hard links to copies of the real COCO JPEG that
    ../shared/bench/make_images.py uses, a new copy every 20,000 links. ext4 caps a file at
    65,000 links; real datasets have one file per image, so `coco2voc`'s JPEGImages hard links
    must succeed here too (at the cap they fail and the writer copies every JPEG, 9 GB at full
    scale, which measures the disk, not the converter). 20,000 leaves room for the VOC runs'
    links while earlier outputs are kept."""
    import json
    os.makedirs(directory, exist_ok=True)
    with open(annotations) as f:
        records = json.load(f)["images"]
    source = None
    for n, record in enumerate(records):
        if n % LINKS_PER_SOURCE == 0:
            source = os.path.join(directory, f".source-{n // LINKS_PER_SOURCE}-{DONE[6:]}")
            if not os.path.exists(source):
                shutil.copy(JPEG, source)
        target = os.path.join(directory, os.path.basename(record["file_name"]))
        if os.path.lexists(target) and not os.path.samefile(target, source):
            os.remove(target)  # a link from an earlier layout of this directory
        if not os.path.exists(target):
            os.link(source, target)
    open(os.path.join(directory, DONE), "w").close()


def timed(name, cmd, images, out=None):
    """Runs cmd under /usr/bin/time -v; returns a result row. Outputs go to fresh paths: nothing
    is deleted between runs (see fresh_work_dir), and the previous runs' dirty pages are flushed
    first (untimed), so no run pays for writing back another's output."""
    os.sync()
    t0 = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        print(f"FAILED: {' '.join(cmd)}\n{proc.stderr[-3000:]}", file=sys.stderr)
        return {"name": name, "failed": True}
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)) / 1024
    size = du(out) if out else None
    return {"name": name, "wall": wall, "rss": rss, "images": images, "bytes": size, "cmd": " ".join(cmd)}


def du(path):
    if not os.path.exists(path):
        return None
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    seen = set()  # hard links (VOC JPEGImages) count once
    for root, _, files in os.walk(path):
        for f in files:
            st = os.lstat(os.path.join(root, f))
            if os.path.stat.S_ISREG(st.st_mode) and (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
    return total


def fresh_work_dir(data):
    """A new, empty output directory for this harness run, and the directory stale outputs of
    earlier runs were moved to. Nothing is deleted until every timed run is over: on ext4 without
    a journal (this machine's root), creating a file scans past every inode freed in the last
    minutes (ext4's recently_deleted check), so deleting a run's 500,000 files right before the
    next run makes that run's file creations several times slower (perf shows recently_deleted
    at 35% of all cycles) and would skew whichever tool runs next."""
    out = os.path.join(data, "out")
    trash = os.path.join(data, f"trash-{os.getpid()}")
    if os.path.exists(out):
        os.rename(out, trash)
    os.makedirs(out)
    return out, trash


def run_scale(args, scale, out_root):
    core_only = scale == "full" and args.full_core_only
    ann, images = ensure_data(args.data, scale, need_images=not core_only)
    n = SCALES[scale]
    work = os.path.join(out_root, scale)
    os.makedirs(work)
    py = sys.executable
    b = args.bin
    rows = []
    seed = timed("seed pipeline (pycocotools + Pillow)",
                 [py, os.path.join(BASE, "seed_pipeline.py"), ann, "--out", f"{work}/seed_png"], n, f"{work}/seed_png")
    rows.append(seed)
    load = timed("pycocotools COCO() load", [py, os.path.join(BASE, "load_only.py"), ann], n)
    rows.append(load)
    label = ["--labels", "coco", "--crowd", "skip", "--overlap", "later"]
    ours = [
        ("cococonvert inspect", [b, "inspect", ann], None, load),
        ("cococonvert coco2png", [b, "coco2png", ann, f"{work}/png"] + label + ["--quiet"], f"{work}/png", seed),
        ("cococonvert coco2voc", [b, "coco2voc", ann, f"{work}/voc", "--images", images, "--quiet"], f"{work}/voc", seed),
        ("cococonvert coco2hdf5 --shard 1000", [b, "coco2hdf5", ann, f"{work}/h5", "--shard", "1000"] + label + ["--quiet"],
         f"{work}/h5", seed),
        ("cococonvert coco2tfrecord --schema deeplab", [b, "coco2tfrecord", ann, f"{work}/tf", "--schema", "deeplab",
                                                        "--images", images] + label + ["--quiet"], f"{work}/tf", seed),
        ("cococonvert coco2webdataset --shard 1000", [b, "coco2webdataset", ann, f"{work}/wds", "--shard", "1000",
                                                       "--images", images] + label + ["--quiet"], f"{work}/wds", seed),
        ("cococonvert coco2coco --segmentation rle", [b, "coco2coco", ann, f"{work}/rle.json", "--segmentation", "rle",
                                                       "--quiet"], f"{work}/rle.json", None),
    ]
    if not core_only and have_ultralytics():
        ultra = timed("Ultralytics convert_coco(use_segments=True)",
                      [py, os.path.join(HERE, "ultralytics_convert.py"), ann, f"{work}/ultralytics"], n, f"{work}/ultralytics")
        rows.append(ultra)
        ours.append(("cococonvert coco2yolo --image-mode none", [b, "coco2yolo", ann, f"{work}/yolo", "--image-mode", "none",
                                                                  "--quiet"], f"{work}/yolo", ultra))
    if core_only:
        ours = [o for o in ours if o[0] in ("cococonvert inspect", "cococonvert coco2png")]
    for name, cmd, out, baseline in ours:
        row = timed(name, cmd, n, out)
        row["baseline"] = baseline
        rows.append(row)
    return rows


def have_ultralytics():
    """Whether Ultralytics (the coco2yolo baseline) can be imported here."""
    return subprocess.run([sys.executable, "-c", "import ultralytics.data.converter"], capture_output=True).returncode == 0


def fmt_rows(scale, rows):
    lines = [f"\n## {scale} ({SCALES[scale]:,} images)\n",
             "| run | wall s | images/s | peak RSS MiB | output MB | speed-up vs baseline |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.get("failed"):
            lines.append(f"| {r['name']} | failed | | | | |")
            continue
        ratio = ""
        base = r.get("baseline")
        if base and not base.get("failed"):
            ratio = f"{base['wall'] / r['wall']:.1f}×"
        size = f"{r['bytes'] / 1e6:.1f}" if r.get("bytes") else ""
        lines.append(f"| {r['name']} | {r['wall']:.2f} | {r['images'] / r['wall']:.0f} | {r['rss']:.0f} | {size} | {ratio} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the release cococonvert binary")
    ap.add_argument("--data", default=os.environ.get("COCOCONVERT_BENCH_DIR",
                                                     os.path.expanduser("~/.cache/cococonvert-bench")))
    ap.add_argument("--full", action="store_true", help="also run at train2017 scale")
    ap.add_argument("--full-core-only", action="store_true",
                    help="at full scale run only the seed pipeline, COCO() load, inspect and coco2png")
    ap.add_argument("--only-full", action="store_true", help="skip the 10k scale")
    ap.add_argument("--keep", action="store_true", help="keep the outputs")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores; cococonvert: {args.bin}", file=sys.stderr)
    report = []
    results = {}
    scales = ["full"] if args.only_full else (["10k", "full"] if args.full else ["10k"])
    out_root, trash = fresh_work_dir(args.data)
    for scale in scales:
        rows = run_scale(args, scale, out_root)
        results[scale] = rows
        table = fmt_rows(scale, rows)
        print(table, flush=True)
        report.append(table)
    if "10k" in results and "full" in results:
        print("\n## scaling 10k → full (per image time ratio; 1.00 = linear)\n")
        for a, b in zip(results["10k"], results["full"]):
            if a.get("failed") or b.get("failed"):
                continue
            per_a, per_b = a["wall"] / a["images"], b["wall"] / b["images"]
            print(f"- {a['name']}: {per_b / per_a:.2f}, peak RSS {a['rss']:.0f} → {b['rss']:.0f} MiB")
    # Deleting only now keeps freed inodes from slowing any timed run (see fresh_work_dir).
    if os.path.exists(trash):
        shutil.rmtree(trash)
    if args.keep:
        print(f"\noutputs kept in {out_root}", file=sys.stderr)
    else:
        shutil.rmtree(out_root)


if __name__ == "__main__":
    main()

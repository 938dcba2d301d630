#!/usr/bin/env python3
"""Convert one dataset on a Ray cluster: one Ray task per partition, then `cococonvert merge`.

Every task runs the cococonvert binary on the shared filesystem with `--partitions N --partition I`;
a task that fails (a node lost, a process killed) is run again with the same index, which replaces
that partition's outputs only. Once all partitions have finished, the driver runs `merge`, which
joins the index files into exactly what one run writes, and prints a summary.

    python3 ray_convert.py coco2png /shared/annotations/instances_train2017.json /shared/labels \
        --partitions 32 [--address auto] [--cococonvert /shared/bin/cococonvert] [-- --labels coco]

Options after `--` go to every partition unchanged (they must be the same for all: merge checks).
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

import ray


@ray.remote(max_retries=3, retry_exceptions=True)
def convert_partition(binary, route, source, output, partitions, index, extra):
    """Runs one partition; raises (so Ray retries it) when cococonvert fails."""
    started = time.time()
    command = [binary, route, source, output, "--partitions", str(partitions), "--partition", str(index), "--quiet"] + extra
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"partition {index} failed (exit {proc.returncode}): {proc.stderr.strip()}")
    return index, time.time() - started


def run(binary, route, source, output, partitions, extra, address=None, num_cpus=None):
    """Converts `source` into `output` in `partitions` Ray tasks, merges, returns a summary dict."""
    if not ray.is_initialized():
        ray.init(address=address, num_cpus=num_cpus, include_dashboard=False, log_to_driver=False)
    started = time.time()
    tasks = [convert_partition.remote(binary, route, source, output, partitions, i, extra) for i in range(partitions)]
    seconds = dict(ray.get(tasks))
    converted = time.time()
    merge = subprocess.run([binary, "merge", output], capture_output=True, text=True)
    if merge.returncode != 0:
        raise RuntimeError(f"merge failed (exit {merge.returncode}): {merge.stderr.strip()}")
    done = time.time()
    return {
        "partitions": partitions,
        "convert_seconds": converted - started,
        "merge_seconds": done - converted,
        "slowest_partition_seconds": max(seconds.values()),
        "merge": merge.stderr.strip(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("route", help="a cococonvert route, e.g. coco2png")
    parser.add_argument("input")
    parser.add_argument("output", help="on a filesystem every Ray node sees")
    parser.add_argument("--partitions", type=int, required=True)
    parser.add_argument("--address", help="Ray cluster address (default: start a local Ray)")
    parser.add_argument("--num-cpus", type=int, help="CPUs for a local Ray (default: all)")
    parser.add_argument("--cococonvert", default=os.environ.get("COCOCONVERT") or shutil.which("cococonvert") or "cococonvert")
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    summary = run(os.path.abspath(args.cococonvert), args.route, os.path.abspath(args.input), os.path.abspath(args.output),
                  args.partitions, extra, address=args.address, num_cpus=args.num_cpus)
    print(f"{summary['merge']}")
    print(f"{summary['partitions']} partitions converted in {summary['convert_seconds']:.1f} s "
          f"(slowest {summary['slowest_partition_seconds']:.1f} s), merged in {summary['merge_seconds']:.2f} s")


if __name__ == "__main__":
    sys.exit(main())

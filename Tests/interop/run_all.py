#!/usr/bin/env python3
"""Runs every interop check in this folder against the built cococonvert binary.

Each check is a script `<name>_check.py` that reads the environment variables COCOCONVERT (the
binary), SHARED (../shared) and WORK (a scratch directory of its own), runs the conversions it
needs, verifies the output with an independent reader (Pillow, h5py, protobuf + crc32c, xml.etree),
prints its own `N passed, M failed` line, and exits non-zero on any failure.
"""
import os
import re
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
checks = sorted(f for f in os.listdir(here) if f.endswith("_check.py"))
total_passed = total_failed = 0
failed_checks = []
for check in checks:
    work = tempfile.mkdtemp(prefix=check[:-3] + "-")
    env = dict(os.environ, WORK=work)
    print(f"--- {check}", flush=True)
    proc = subprocess.run([sys.executable, os.path.join(here, check)], env=env, capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    found = re.findall(r"^(\d+) passed, (\d+) failed", proc.stdout, re.M)
    passed, failed = (int(found[-1][0]), int(found[-1][1])) if found else (0, 0)
    if proc.returncode != 0 and failed == 0:
        failed = 1
    total_passed += passed
    total_failed += failed
    if failed:
        failed_checks.append(check)
if failed_checks:
    print("failed checks: " + ", ".join(failed_checks))
print(f"interop: {total_passed} passed, {total_failed} failed")
sys.exit(1 if total_failed else 0)

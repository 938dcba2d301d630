#!/usr/bin/env python3
"""Checks that an installed cococonvert binary loads only libraries of its wheel's manylinux policy
(auditwheel's own policy file) or libraries shipped inside the wheel.

    ldd_policy_check.py BINARY WHEEL_LIBS_DIR MANYLINUX_TAG   (e.g. manylinux_2_35_x86_64)
"""
import json
import os
import re
import subprocess
import sys

import auditwheel

binary, libs_dir, tag = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3]
policy_name = re.sub(r"_(x86_64|aarch64|i686|ppc64le|s390x|armv7l)$", "", tag)
with open(os.path.join(os.path.dirname(auditwheel.__file__), "policy", "manylinux-policy.json")) as f:
    policies = {p["name"]: p for p in json.load(f)}
allowed = set(policies[policy_name]["lib_whitelist"])

ldd = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
problems, vendored, system = [], [], []
for line in ldd.splitlines():
    line = line.strip()
    if not line or line.startswith("linux-vdso") or "ld-linux" in line:
        continue
    name, _, rest = line.partition(" => ")
    path = rest.split(" (")[0].strip()
    if not path or path == "not found":
        problems.append(f"{name}: not found")
    elif os.path.realpath(path).startswith(libs_dir + os.sep):
        vendored.append(name)
    elif name in allowed:
        system.append(name)
    else:
        problems.append(f"{name} => {path}: neither in the wheel nor in the {policy_name} policy")
print(f"ldd: {len(system)} policy libraries ({', '.join(sorted(system))}), {len(vendored)} from the wheel")
for problem in problems:
    print("FAIL", problem)
if "libpng16" not in " ".join(vendored) or "libhdf5" not in " ".join(vendored):
    print("FAIL libpng and libhdf5 should come from the wheel:", vendored)
    sys.exit(1)
sys.exit(1 if problems else 0)

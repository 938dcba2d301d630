"""In-tree PEP 517 backend: packs the Python package and a prebuilt cococonvert binary into a wheel.

The binary is built by Swift, not by Python, so the usual backends (which compile C extensions or
ship pure Python) do not fit: this one only needs the standard library, and takes the binary from
the ``COCOCONVERT_BINARY`` environment variable or the ``binary`` config setting
(``pip wheel python/ --config-settings binary=PATH``). ``./dev wheel`` is the intended caller.

The wheel is tagged ``py3-none-linux_<arch>`` (any Python 3, no ABI: the package never loads the
binary into the interpreter); ``auditwheel repair`` then vendors the shared libraries and retags it
``manylinux_X_Y``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import platform
import stat
import tomllib
import zipfile
from pathlib import Path

_SOURCE = Path(__file__).resolve().parent.parent


def _project() -> dict:
    with open(_SOURCE / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def _binary(config_settings: dict | None) -> Path:
    path = (config_settings or {}).get("binary") or os.environ.get("COCOCONVERT_BINARY")
    if not path:
        raise RuntimeError("no cococonvert binary given: run ./dev wheel, or set COCOCONVERT_BINARY "
                           "to a release build (swift build -c release --static-swift-stdlib)")
    binary = Path(path)
    if not binary.is_file() or not os.access(binary, os.X_OK):
        raise RuntimeError(f"COCOCONVERT_BINARY={binary} is not an executable file")
    return binary


def _metadata(project: dict) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project['description']}",
        f"Requires-Python: {project['requires-python']}",
    ]
    lines += [f"Classifier: {c}" for c in project.get("classifiers", [])]
    readme = _SOURCE / project.get("readme", "README.md")
    if readme.is_file():
        lines += ["Description-Content-Type: text/markdown", "", readme.read_text(encoding="utf-8")]
    return "\n".join(lines) + "\n"


def _tag() -> str:
    return f"py3-none-linux_{platform.machine()}"


class _Wheel:
    """A wheel being written: every file is hashed into RECORD as it is added."""

    def __init__(self, path: Path, dist_info: str):
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        self.dist_info = dist_info
        self.records: list[str] = []

    def add(self, name: str, data: bytes, executable: bool = False) -> None:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        mode = 0o755 if executable else 0o644
        info.external_attr = (stat.S_IFREG | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        self.records.append(f"{name},sha256={digest},{len(data)}")

    def close(self) -> None:
        record = f"{self.dist_info}/RECORD"
        self.records.append(f"{record},,")
        info = zipfile.ZipInfo(record, date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = (stat.S_IFREG | 0o644) << 16
        self.zip.writestr(info, "\n".join(self.records) + "\n")
        self.zip.close()


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    name, version = project["name"], project["version"]
    binary = _binary(config_settings)
    dist_info = f"{name}-{version}.dist-info"
    filename = f"{name}-{version}-{_tag()}.whl"
    wheel = _Wheel(Path(wheel_directory) / filename, dist_info)
    package = _SOURCE / "cococonvert"
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".typed"):
            wheel.add(path.relative_to(_SOURCE).as_posix(), path.read_bytes())
    wheel.add("cococonvert/_bin/cococonvert", binary.read_bytes(), executable=True)
    wheel.add(f"{dist_info}/METADATA", _metadata(project).encode())
    wheel.add(f"{dist_info}/WHEEL", (
        "Wheel-Version: 1.0\nGenerator: cococonvert_build\nRoot-Is-Purelib: false\n"
        f"Tag: {_tag()}\n").encode())
    scripts = project.get("scripts", {})
    entry_points = "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in scripts.items())
    wheel.add(f"{dist_info}/entry_points.txt", entry_points.encode())
    wheel.close()
    return filename

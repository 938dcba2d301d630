"""The Python API: typed calls that run the cococonvert binary and read its machine-readable output.

Nothing here converts anything itself. ``convert`` builds a command line from keyword arguments
(checked against the options the binary declares, ``cococonvert formats --json``), runs it with
``--progress json`` and ``--report json=FILE``, and turns the report into a ``Summary`` or a
``ConversionError``.
"""

from __future__ import annotations

import difflib
import functools
import json
import logging
import os
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from ._binary import binary

PathLike = Union[str, "os.PathLike[str]"]
#: Receives (samples done, total samples or None when the reader cannot know) as a run goes.
ProgressCallback = Callable[[int, Optional[int]], None]

_log = logging.getLogger("cococonvert")

# Options the API sets itself, and the keyword that sets them instead.
_RESERVED = {
    "jobs": "jobs=", "on-error": "on_error=", "progress": "progress=", "report": "(the API reads the report itself)",
    "quiet": "(the API runs quietly)", "verbose": "(errors carry every field already)", "help": "help(cococonvert.convert)",
    "dry-run": "the command line (cococonvert <src>2<dst> ... --dry-run): convert() runs conversions",
}


@dataclass(frozen=True)
class Summary:
    """What a completed conversion wrote (the CLI's ``--report json``)."""

    route: str
    input: str
    output: str
    samples: int
    instances: int
    files: int
    bytes: int
    #: Samples or annotations left out under ``on_error="skip"``; listed in ``skip_report``.
    skipped: int
    skip_report: Optional[str]
    #: Things to know about the output (16-bit maps written, instances a format cannot hold...).
    notes: Tuple[str, ...]
    seconds: float


class ConversionError(Exception):
    """A conversion or inspection that failed, with everything the CLI knows about where and why.

    ``code`` is the CLI's error kind (``malformed-input``, ``invalid-mask``, ``unknown-image``,
    ``usage``, ``io``...), ``exit_status`` its exit status (64 command line, 65 input data, 1 other);
    ``file``, ``byte_offset``, ``image_id``, ``annotation_id`` and ``field`` locate the problem when
    known; ``hint`` says what to do about it; ``stderr`` is what the binary printed.
    """

    def __init__(self, code: str, message: str, *, exit_status: int, file: Optional[str] = None,
                 byte_offset: Optional[int] = None, image_id: Optional[int] = None,
                 annotation_id: Optional[int] = None, field: Optional[str] = None,
                 hint: Optional[str] = None, stderr: str = ""):
        self.code = code
        self.message = message
        self.exit_status = exit_status
        self.file = file
        self.byte_offset = byte_offset
        self.image_id = image_id
        self.annotation_id = annotation_id
        self.field = field
        self.hint = hint
        self.stderr = stderr
        super().__init__(self._text())

    def _text(self) -> str:
        where = []
        if self.file:
            where.append(f"{self.file} at byte {self.byte_offset}" if self.byte_offset is not None else self.file)
        subject = []
        if self.image_id is not None:
            subject.append(f"image {self.image_id}")
        if self.annotation_id is not None:
            subject.append(f"annotation {self.annotation_id}")
        if self.field:
            subject.append(self.field)
        if subject:
            where.append(", ".join(subject))
        text = ": ".join(where + [self.message])
        return text + (f" ({self.hint})" if self.hint else "")


@functools.lru_cache(maxsize=None)
def formats() -> Dict[str, Any]:
    """The binary's formats and every option of their readers and writers (``formats --json``)."""
    return json.loads(_run_checked(["formats", "--json"]))


def inspect(path: PathLike, *, src: Optional[str] = None, deep: bool = False,
            images: Optional[PathLike] = None) -> Dict[str, Any]:
    """What a dataset holds and the problems in it: the data of ``cococonvert inspect --json``.

    ``src`` names the format when detection is not wanted; ``deep`` parses and checks every record
    (and the image files, under ``images``). Problems found are in the result (``problems``), not
    raised; an input that cannot be read at all raises ``ConversionError``.
    """
    arguments = ["inspect", "--json"]
    if src:
        arguments += ["--from", src]
    if deep:
        arguments.append("--deep")
    if images is not None:
        arguments += ["--images", os.fspath(images)]
    completed = subprocess.run([binary(), *arguments, "--", os.fspath(path)], stdin=subprocess.DEVNULL,
                               capture_output=True, text=True)
    if completed.stdout.strip():
        return json.loads(completed.stdout)
    raise _error_from_stderr(completed.returncode, completed.stderr)


def detect(path: PathLike) -> str:
    """The format ``path`` looks like (``formats --detect``), or ``ConversionError`` if none fits."""
    found = json.loads(_run_checked(["formats", "--json", "--detect", os.fspath(path)]))
    likely = [entry for entry in found if entry["confidence"] >= 40]
    if not likely:
        raise ConversionError("usage", f"{os.fspath(path)} is not a format cococonvert recognises",
                              exit_status=64, file=os.fspath(path), hint="name it with src=")
    return likely[0]["name"]


def convert(input: PathLike, output: PathLike, *, src: Optional[str] = None, dst: str,
            jobs: Optional[int] = None, on_error: str = "fail", progress: Optional[ProgressCallback] = None,
            **options: Any) -> Summary:
    """Converts the dataset at ``input`` to format ``dst`` at ``output``, like ``cococonvert <src>2<dst>``.

    ``src`` is detected from the input when not given. ``options`` are the route's command-line
    options with ``_`` for ``-`` (``labels="cocostuff171"``, ``shard=1000``, ``layout="devkit"``,
    ``masks=True`` for a flag; a list repeats the option); ``cococonvert <src>2<dst> --help`` documents
    them. An option the route does not have, a value of the wrong kind or outside the allowed choices
    raises ``TypeError``/``ValueError`` before anything runs. ``on_error="skip"`` leaves bad samples
    out and lists them in ``Summary.skip_report``. ``progress(done, total)`` is called as samples are
    written (``total`` is None when the reader cannot know it), e.g. to drive tqdm.

    Returns the run's ``Summary``; raises ``ConversionError`` (with the file, byte offset, image id,
    annotation id and hint the CLI reports) when the run fails. A failed run leaves no output.
    """
    source = src or detect(input)
    route_options = _route_options(source, dst)
    arguments = [f"{source}2{dst}", *_flags(options, route_options, f"{source}2{dst}")]
    if on_error not in ("fail", "skip"):
        raise ValueError(f"on_error must be 'fail' or 'skip', not {on_error!r}")
    arguments += ["--on-error", on_error]
    if jobs is not None:
        if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
            raise ValueError(f"jobs must be a positive int, not {jobs!r}")
        arguments += ["--jobs", str(jobs)]
    with tempfile.TemporaryDirectory(prefix="cococonvert-") as scratch:
        report_path = os.path.join(scratch, "report.json")
        arguments += ["--quiet", "--progress", "json" if progress else "none", "--report", f"json={report_path}"]
        arguments += ["--", os.fspath(input), os.fspath(output)]
        status, stderr = _run_with_progress(arguments, progress)
        try:
            with open(report_path, encoding="utf-8") as f:
                report = json.load(f)
        except FileNotFoundError:
            raise _error_from_stderr(status, stderr) from None
    if report["status"] != "ok":
        error = report.get("error") or {}
        raise ConversionError(error.get("code", "failure"), error.get("message", "the run failed"),
                              exit_status=report["exit_status"], file=error.get("file"),
                              byte_offset=error.get("byte_offset"), image_id=error.get("image_id"),
                              annotation_id=error.get("annotation_id"), field=error.get("field"),
                              hint=error.get("hint"), stderr=stderr)
    for line in stderr.splitlines():
        _log.info("%s", line)
    return Summary(route=report["route"], input=report["input"], output=report["output"],
                   samples=report["samples"], instances=report["instances"], files=report["files"],
                   bytes=report["bytes"], skipped=report["skipped"], skip_report=report["skip_report"],
                   notes=tuple(report["notes"]), seconds=report["seconds"])


def _route_options(src: str, dst: str) -> Dict[str, Dict[str, Any]]:
    catalog = formats()
    by_name = {}
    for entry in catalog["formats"]:
        for name in [entry["name"], *entry["aliases"]]:
            by_name[name] = entry
    readable = sorted(e["name"] for e in catalog["formats"] if e["reads"])
    writable = sorted(e["name"] for e in catalog["formats"] if e["writes"])
    reader, writer = by_name.get(src), by_name.get(dst)
    if reader is None or not reader["reads"]:
        raise ValueError(f"src={src!r} is not a readable format; one of {', '.join(readable)}")
    if writer is None or not writer["writes"]:
        raise ValueError(f"dst={dst!r} is not a writable format; one of {', '.join(writable)}")
    route: Dict[str, Dict[str, Any]] = {}
    for spec in [*catalog["common_options"], *reader["reader_options"], *writer["writer_options"]]:
        route.setdefault(spec["name"], spec)
    return route


def _flags(options: Dict[str, Any], route: Dict[str, Dict[str, Any]], route_name: str) -> List[str]:
    flags: List[str] = []
    for keyword, value in options.items():
        name = keyword.replace("_", "-")
        if name in _RESERVED:
            raise TypeError(f"convert() sets --{name} itself; use {_RESERVED[name]}")
        spec = route.get(name)
        if spec is None:
            allowed = sorted(n.replace("-", "_") for n in route if n not in _RESERVED)
            near = difflib.get_close_matches(keyword, allowed, n=1)
            hint = f"did you mean {near[0]}=? " if near else ""
            raise TypeError(f"{route_name} has no option {keyword!r}; {hint}its options: {', '.join(allowed)}")
        if value is None or value is False and not spec["takes_value"]:
            continue
        if not spec["takes_value"]:
            if value is not True:
                raise TypeError(f"{keyword} is a flag of {route_name}: pass True or False, not {value!r}")
            flags.append(f"--{name}")
            continue
        values: Sequence[Any] = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if isinstance(item, bool) or not isinstance(item, (str, int, float, os.PathLike)):
                raise TypeError(f"{keyword}= takes {spec['value_name']} (a str, number or path), not {item!r}")
            text = os.fspath(item) if isinstance(item, os.PathLike) else str(item)
            if spec["choices"] and text.lower() not in spec["choices"]:
                raise ValueError(f"{keyword}={item!r} is not one of {', '.join(spec['choices'])}")
            flags.append(f"--{name}={text}")
    return flags


def _run_with_progress(arguments: List[str], progress: Optional[ProgressCallback]) -> Tuple[int, str]:
    """Runs the binary; JSON progress lines on stderr go to ``progress``, the rest is returned."""
    other: List[str] = []
    with subprocess.Popen([binary(), *arguments], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, bufsize=1) as process:
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith('{"phase"'):
                if progress is not None:
                    event = json.loads(line)
                    progress(event["done"], event["total"])
            else:
                other.append(line)
    return process.returncode, "".join(other)


def _run_checked(arguments: List[str]) -> str:
    completed = subprocess.run([binary(), *arguments], stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if completed.returncode != 0:
        raise _error_from_stderr(completed.returncode, completed.stderr)
    return completed.stdout


def _error_from_stderr(status: int, stderr: str) -> ConversionError:
    """An error from a run that wrote no report: its last ``error:`` line, or its exit status."""
    lines = [line[len("error: "):] for line in stderr.splitlines() if line.startswith("error: ")]
    message = lines[-1] if lines else (stderr.strip() or f"cococonvert stopped with exit status {status}")
    code = "usage" if status == 64 else "failure"
    return ConversionError(code, message, exit_status=status, stderr=stderr)

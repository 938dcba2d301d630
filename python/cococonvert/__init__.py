"""cococonvert: convert segmentation labels between COCO, PNG label maps, Pascal VOC, HDF5, TFRecord
and YOLO from Python.

A thin, typed layer over the bundled ``cococonvert`` binary (the same one the ``cococonvert``
command runs)::

    import cococonvert
    summary = cococonvert.convert("instances_val2017.json", "VOC/", dst="voc", layout="devkit")
    print(f"{summary.samples} samples, {summary.files} files")

``convert`` returns a ``Summary`` and raises ``ConversionError`` with the file, byte offset, image id,
annotation id and hint of the problem; ``inspect`` returns what ``cococonvert inspect --json`` prints.
"""

from typing import TYPE_CHECKING, Any

from ._binary import binary

__version__ = "0.2.0"

__all__ = ["ConversionError", "ProgressCallback", "Summary", "binary", "convert", "detect", "formats", "inspect",
           "__version__"]

if TYPE_CHECKING:
    from ._api import ConversionError, ProgressCallback, Summary, convert, detect, formats, inspect


def __getattr__(name: str) -> Any:
    # The API is imported on first use, so that the `cococonvert` console script (which only execs the
    # binary) does not pay for json, subprocess, dataclasses and logging at every start.
    if name in __all__:
        from . import _api
        return getattr(_api, name)
    raise AttributeError(f"module 'cococonvert' has no attribute {name!r}")

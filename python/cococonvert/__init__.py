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

from ._api import ConversionError, ProgressCallback, Summary, convert, detect, formats, inspect
from ._binary import binary

__version__ = "0.2.0"

__all__ = ["ConversionError", "ProgressCallback", "Summary", "binary", "convert", "detect", "formats", "inspect",
           "__version__"]

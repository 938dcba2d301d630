#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets whose input is not a file format (rle, polygon).

Encodings (Sources/cococonvert-fuzz/FuzzTargets.swift):
  rle:     height, width as little-endian int32, then the compressed counts string.
  polygon: height, width as little-endian int16, a mode byte (bit 0: coordinates are raw float64),
           then per polygon a length byte and that many coordinates (int16 / 4, or float64).
Strings and polygons are pycocotools' own (mask.encode / frPyObjects) where pycocotools is installed.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    with open(os.path.join(HERE, target, name), "wb") as f:
        f.write(data)


POLYGONS = {
    "square": (10, 10, [[1, 1, 8, 1, 8, 8, 1, 8]]),
    "triangle": (20, 30, [[0, 0, 29.5, 3.25, 12, 19.75]]),
    "two-parts": (16, 16, [[1, 1, 5, 1, 5, 5], [8, 8, 15, 8, 15, 15, 8, 15]]),
    "outside": (8, 8, [[-4, -4, 12, -2, 3, 20]]),
}

for name, (h, w, polys) in POLYGONS.items():
    body = struct.pack("<hhB", h, w, 0)
    for p in polys:
        body += struct.pack("<B", len(p)) + b"".join(struct.pack("<h", int(v * 4)) for v in p)
    write("polygon", name, body)
    raw = struct.pack("<hhB", h, w, 1)
    for p in polys:
        raw += struct.pack("<B", len(p)) + b"".join(struct.pack("<d", v) for v in p)
    write("polygon", name + "-float64", raw)

try:
    import numpy as np
    from pycocotools import mask as mask_util
    for name, (h, w, polys) in POLYGONS.items():
        rle = mask_util.merge(mask_util.frPyObjects([list(map(float, p)) for p in polys], h, w))
        write("rle", name, struct.pack("<ii", h, w) + rle["counts"])
    m = np.zeros((60, 40), dtype=np.uint8, order="F")
    m[2:58:3, 5:37] = 1
    m[30, :] = 1
    rle = mask_util.encode(m)
    write("rle", "stripes", struct.pack("<ii", 60, 40) + rle["counts"])
except ImportError:
    pass

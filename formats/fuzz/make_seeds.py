#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets whose input is not a file format (rle, polygon, yolo).

Encodings (Sources/cococonvert-fuzz/FuzzTargets.swift):
  rle:     height, width as little-endian int32, then the compressed counts string.
  polygon: height, width as little-endian int16, a mode byte (bit 0: coordinates are raw float64),
           then per polygon a length byte and that many coordinates (int16 / 4, or float64).
  yolo:    data.yaml, a NUL byte, the label file of the one image, a NUL byte, the image's first bytes
           (PNG IHDR or JPEG up to its frame header; without them a 640x480 PNG).
Strings and polygons are pycocotools' own (mask.encode / frPyObjects) where pycocotools is installed.
"""
import os
import struct
import zlib

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


def png_header(width, height):
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))


def jpeg_header(width, height):
    # SOI, an APP0 (JFIF) segment, then a baseline SOF0 frame header with three components.
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return (b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0
            + b"\xff\xc0" + struct.pack(">H", len(sof) + 2) + sof)


YOLO = {
    # Ultralytics' own forms of data.yaml (coco.yaml's block map of names, flow lists, nc only).
    "block-names": ("path: ../datasets/coco\ntrain: images/train\nval: images/val\nnames:\n  0: person\n  1: bicycle  # two\n  2: 'traffic light'\n",
                    "0 0.5 0.5 0.25 0.5\n2 0.1 0.1 0.9 0.1 0.5 0.8\n", png_header(640, 480)),
    "flow-names": ("train: [images/a, images/b]\nval: images/v\nnc: 2\nnames: ['cat', \"dog\"]\n",
                   "1 0.2 0.2 0.4 0.2 0.4 0.6 0.2 0.6\r\n0\t0.5 0.5 1 1\n\n", jpeg_header(333, 500)),
    "nc-only": ("train: t\nval: v\nnc: 3\n", "2 0 0 1 1\n", None),
    "category-ids": ("train: images/train\nnc: 2\nnames:\n  0: person\n  1: dog\ncategory_ids: [1, 18]\n",
                     "1 0.3 0.3 0.6 0.3 0.6 0.9 0.3 0.9 0.1 0.5\n0 0.5 0.5 0.2 0.2\n", png_header(17, 9)),
    "bad-lines": ("names: [a]\n", "0 0.5 0.5 0.2\n1 0.5 0.5 0.2 0.2\nx 1 1 1 1\n0 nan 0 1 1\n0 2 0 1 1\n", png_header(4, 4)),
}
for name, (yaml, labels, image) in YOLO.items():
    body = yaml.encode() + b"\x00" + labels.encode()
    if image is not None:
        body += b"\x00" + image
    write("yolo", name, body)

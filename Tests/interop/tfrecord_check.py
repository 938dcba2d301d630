#!/usr/bin/env python3
"""Checks cococonvert's TFRecords with an independent reader: crc32c + google.protobuf, no TensorFlow.

Reads the environment variables COCOCONVERT (the binary), SHARED (../shared) and WORK (a scratch
directory), as Tests/interop/run_all.py sets them. For both instances files of
$SHARED/data/coco-real it runs:

  coco2tfrecord --schema deeplab --num-shards 3    and  coco2png (same label options)
  coco2tfrecord --schema od --masks --num-shards 2 and  tfrecord2coco on the result

and checks, with its own frame parser (masked CRC-32C from the `crc32c` package) and a
`tf.train.Example` message class built at run time from descriptor_pb2 (feature.proto's field
numbers; google.protobuf does the decoding):
  - file names `<split>-SSSSS-of-KKKKK.tfrecord`, no temporary files left, both CRCs of every record;
  - DeepLab: exactly DeepLab's eight keys; image/encoded byte-identical to the source JPEG;
    filename = id without extension; height/width/channels; the label PNG decoded by Pillow equal
    to the PNG coco2png wrote for that image; every image exactly once, in order (contiguous);
    label_map.pbtxt parsed by google.protobuf.text_format as a StringIntLabelMap;
  - OD: create_coco_tf_record.py's keys; source_id; sha256 of the bytes; original JPEG bytes;
    boxes = COCO bbox / size; class label/text, is_crowd, area; each mask PNG (Pillow) equal to
    the pycocotools oracle mask of that annotation (crowds included);
  - tfrecord2coco of the OD records: every non-crowd annotation's mask (pycocotools annToMask)
    equal to the oracle, crowds too;
  - tfrecord2coco on formats/tfrecord/good/tf-written.tfrecord (written by TensorFlow) parses.
Prints 'N passed, M failed' and exits non-zero when anything failed.
"""
import glob
import hashlib
import io
import json
import os
import re
import struct
import subprocess
import sys

import crc32c
import numpy as np
from PIL import Image
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format
from pycocotools import mask as mask_utils

BIN = os.environ.get("COCOCONVERT", ".build/debug/cococonvert")
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(REPO), "shared"))
WORK = os.environ.get("WORK") or __import__("tempfile").mkdtemp(prefix="tfrecord_check-")
REAL = os.path.join(SHARED, "data", "coco-real")

from interop_support import check, finish


# --- tf.train.Example, from feature.proto / example.proto field numbers ------------------------

def build_messages():
    fdp = descriptor_pb2.FileDescriptorProto(name="check_example.proto", package="check", syntax="proto3")
    F = descriptor_pb2.FieldDescriptorProto

    def add(name, fields):
        m = fdp.message_type.add(name=name)
        for fname, num, ftype, label, tname in fields:
            f = m.field.add(name=fname, number=num, type=ftype, label=label)
            if tname:
                f.type_name = tname
        return m

    add("BytesList", [("value", 1, F.TYPE_BYTES, F.LABEL_REPEATED, None)])
    add("FloatList", [("value", 1, F.TYPE_FLOAT, F.LABEL_REPEATED, None)])
    add("Int64List", [("value", 1, F.TYPE_INT64, F.LABEL_REPEATED, None)])
    feature = add("Feature", [
        ("bytes_list", 1, F.TYPE_MESSAGE, F.LABEL_OPTIONAL, ".check.BytesList"),
        ("float_list", 2, F.TYPE_MESSAGE, F.LABEL_OPTIONAL, ".check.FloatList"),
        ("int64_list", 3, F.TYPE_MESSAGE, F.LABEL_OPTIONAL, ".check.Int64List"),
    ])
    feature.oneof_decl.add(name="kind")
    for f in feature.field:
        f.oneof_index = 0
    features = fdp.message_type.add(name="Features")
    entry = features.nested_type.add(name="FeatureEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    entry.field.add(name="value", number=2, type=F.TYPE_MESSAGE, label=F.LABEL_OPTIONAL, type_name=".check.Feature")
    features.field.add(name="feature", number=1, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED,
                       type_name=".check.Features.FeatureEntry")
    add("Example", [("features", 1, F.TYPE_MESSAGE, F.LABEL_OPTIONAL, ".check.Features")])
    # object_detection/protos/string_int_label_map.proto (the fields label maps use).
    item = add("StringIntLabelMapItem", [
        ("name", 1, F.TYPE_STRING, F.LABEL_OPTIONAL, None),
        ("id", 2, F.TYPE_INT32, F.LABEL_OPTIONAL, None),
        ("display_name", 3, F.TYPE_STRING, F.LABEL_OPTIONAL, None),
    ])
    add("StringIntLabelMap", [("item", 1, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".check.StringIntLabelMapItem")])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    get = lambda n: message_factory.GetMessageClass(pool.FindMessageTypeByName("check." + n))
    return get("Example"), get("StringIntLabelMap")


Example, StringIntLabelMap = build_messages()


def masked_crc(data):
    crc = crc32c.crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def read_records(path):
    """Every payload of a TFRecord file; checks both CRCs of every frame (one check per record)."""
    data = open(path, "rb").read()
    out = []
    offset = 0
    index = 0
    while offset < len(data):
        ok = len(data) - offset >= 16
        if ok:
            (length,) = struct.unpack_from("<Q", data, offset)
            (length_crc,) = struct.unpack_from("<I", data, offset + 8)
            ok = length_crc == masked_crc(data[offset:offset + 8]) and offset + 16 + length <= len(data)
        if ok:
            payload = data[offset + 12:offset + 12 + length]
            (data_crc,) = struct.unpack_from("<I", data, offset + 12 + length)
            ok = data_crc == masked_crc(payload)
        if not check(ok, f"{path}: record {index} at byte {offset}: bad frame or CRC"):
            return out
        out.append(payload)
        offset += 16 + length
        index += 1
    return out


def parse(payload):
    ex = Example()
    ex.ParseFromString(payload)
    return ex.features.feature


def one_bytes(features, key):
    return features[key].bytes_list.value[0]


def run(*args):
    proc = subprocess.run([BIN, *args], capture_output=True, text=True)
    if not check(proc.returncode == 0, f"cococonvert {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}"):
        return False
    return True


def shard_files(out, split):
    files = sorted(glob.glob(os.path.join(out, split + "-*")))
    names = [os.path.basename(f) for f in files]
    k = len(files)
    check(names == [f"{split}-{i:05d}-of-{k:05d}.tfrecord" for i in range(k)], f"{out}: shard names {names}")
    check(not [n for n in os.listdir(out) if n.startswith(".")], f"{out}: temporary files left")
    return files


def load_pbtxt(path):
    m = StringIntLabelMap()
    text_format.Parse(open(path, encoding="utf-8").read(), m)
    return {it.id: it.name for it in m.item}


def oracle_masks():
    out = {}
    with open(os.path.join(REAL, "oracle_annotations.jsonl")) as fh:
        for line in fh:
            r = json.loads(line)
            if "id" in r:
                out[(r["file"], r["id"])] = r["rle"]
    return out


def decode_oracle(rle):
    return mask_utils.decode({"size": rle["size"], "counts": rle["counts"].encode()})


def png_array(data):
    return np.array(Image.open(io.BytesIO(data)))


DEEPLAB_KEYS = {"image/encoded", "image/filename", "image/format", "image/height", "image/width", "image/channels",
                "image/segmentation/class/encoded", "image/segmentation/class/format"}
OD_KEYS = {"image/height", "image/width", "image/filename", "image/source_id", "image/key/sha256", "image/encoded",
           "image/format", "image/object/bbox/xmin", "image/object/bbox/xmax", "image/object/bbox/ymin",
           "image/object/bbox/ymax", "image/object/class/text", "image/object/class/label", "image/object/is_crowd",
           "image/object/area", "image/object/mask"}


def check_deeplab(split, coco, images_dir):
    out = os.path.join(WORK, "deeplab_" + split)
    png_out = os.path.join(WORK, "png_" + split)
    ann = os.path.join(REAL, "instances", "annotations", f"instances_{split}.json")
    if not (run("coco2tfrecord", ann, out, "--schema", "deeplab", "--num-shards", "3")
            and run("coco2png", ann, png_out)):
        return
    pngs = {os.path.splitext(os.path.basename(p))[0]: p
            for p in glob.glob(os.path.join(png_out, "**", "*.png"), recursive=True)}
    records = [r for f in shard_files(out, split) for r in read_records(f)]
    check(len(records) == len(coco["images"]), f"deeplab {split}: {len(records)} records for {len(coco['images'])} images")
    for payload, image in zip(records, coco["images"]):
        f = parse(payload)
        stem = os.path.splitext(image["file_name"])[0]
        where = f"deeplab {split} image {image['id']}"
        check(set(f.keys()) == DEEPLAB_KEYS, f"{where}: keys {sorted(f.keys())}")
        check(one_bytes(f, "image/filename") == stem.encode(), f"{where}: filename")
        check(one_bytes(f, "image/format") == b"jpeg", f"{where}: format")
        check(list(f["image/height"].int64_list.value) == [image["height"]]
              and list(f["image/width"].int64_list.value) == [image["width"]]
              and list(f["image/channels"].int64_list.value) == [3], f"{where}: height/width/channels")
        jpeg = open(os.path.join(images_dir, image["file_name"]), "rb").read()
        check(one_bytes(f, "image/encoded") == jpeg, f"{where}: image/encoded is not the original JPEG")
        check(one_bytes(f, "image/segmentation/class/format") == b"png", f"{where}: label format")
        label = png_array(one_bytes(f, "image/segmentation/class/encoded"))
        ref = pngs.get(stem)
        if check(ref is not None, f"{where}: coco2png wrote no PNG for {stem}"):
            expected = np.array(Image.open(ref))
            check(label.shape == expected.shape and np.array_equal(label, expected),
                  f"{where}: label PNG differs from coco2png's")
    labels = load_pbtxt(os.path.join(out, "label_map.pbtxt"))
    check(len(labels) > 0, f"deeplab {split}: empty label_map.pbtxt")


def check_od(split, coco, images_dir, oracle):
    out = os.path.join(WORK, "od_" + split)
    ann = os.path.join(REAL, "instances", "annotations", f"instances_{split}.json")
    file_key = f"instances/annotations/instances_{split}.json"
    if not run("coco2tfrecord", ann, out, "--schema", "od", "--masks", "--num-shards", "2"):
        return
    images = {im["id"]: im for im in coco["images"]}
    anns = {}
    for a in coco["annotations"]:
        anns.setdefault(a["image_id"], []).append(a)
    names = {c["id"]: c["name"] for c in coco["categories"]}
    files = shard_files(out, split)
    records = [r for f in files for r in read_records(f)]
    # Round-robin over 2 files: record i of file s is sample 2i + s.
    per_file = [read_records(f) for f in files]
    order = [per_file[s][i] for i in range(max(map(len, per_file))) for s in range(len(per_file)) if i < len(per_file[s])]
    check(len(records) == len(coco["images"]), f"od {split}: {len(records)} records for {len(coco['images'])} images")
    seen = []
    for payload in order:
        f = parse(payload)
        image_id = int(one_bytes(f, "image/source_id"))
        seen.append(image_id)
        image = images[image_id]
        where = f"od {split} image {image_id}"
        check(set(f.keys()) == OD_KEYS, f"{where}: keys {sorted(set(f.keys()) ^ OD_KEYS)}")
        jpeg = open(os.path.join(images_dir, image["file_name"]), "rb").read()
        enc = one_bytes(f, "image/encoded")
        check(enc == jpeg, f"{where}: image/encoded is not the original JPEG")
        check(one_bytes(f, "image/key/sha256") == hashlib.sha256(enc).hexdigest().encode(), f"{where}: sha256")
        check(one_bytes(f, "image/filename") == image["file_name"].encode(), f"{where}: filename")
        w, h = image["width"], image["height"]
        objs = anns.get(image_id, [])
        xmin = f["image/object/bbox/xmin"].float_list.value
        xmax = f["image/object/bbox/xmax"].float_list.value
        ymin = f["image/object/bbox/ymin"].float_list.value
        ymax = f["image/object/bbox/ymax"].float_list.value
        masks = f["image/object/mask"].bytes_list.value
        if not check(len(xmin) == len(objs) == len(masks), f"{where}: {len(xmin)} boxes, {len(objs)} annotations"):
            continue
        box_ok = all(np.allclose([xmin[i], xmax[i], ymin[i], ymax[i]],
                                 [a["bbox"][0] / w, (a["bbox"][0] + a["bbox"][2]) / w,
                                  a["bbox"][1] / h, (a["bbox"][1] + a["bbox"][3]) / h], rtol=0, atol=1e-6)
                     for i, a in enumerate(objs))
        check(box_ok, f"{where}: normalised boxes")
        check(list(f["image/object/class/label"].int64_list.value) == [a["category_id"] for a in objs], f"{where}: labels")
        check([t.decode() for t in f["image/object/class/text"].bytes_list.value] == [names[a["category_id"]] for a in objs],
              f"{where}: class texts")
        check(list(f["image/object/is_crowd"].int64_list.value) == [a["iscrowd"] for a in objs], f"{where}: is_crowd")
        check(np.allclose(f["image/object/area"].float_list.value, [a["area"] for a in objs], rtol=1e-6), f"{where}: area")
        for a, png in zip(objs, masks):
            m = png_array(png)
            expected = decode_oracle(oracle[(file_key, a["id"])])
            check(m.shape == expected.shape and set(np.unique(m)) <= {0, 1} and np.array_equal(m, expected),
                  f"{where}: mask PNG of annotation {a['id']}")
    check(sorted(seen) == sorted(images), f"od {split}: every image exactly once")
    labels = load_pbtxt(os.path.join(out, "label_map.pbtxt"))
    check(labels == names, f"od {split}: label_map.pbtxt ids/names")

    # Back to COCO: every mask restored exactly (annotation order per image is kept).
    back = os.path.join(WORK, f"od_{split}_back.json")
    if not run("tfrecord2coco", out, back):
        return
    restored = json.load(open(back))
    by_image = {}
    for a in restored["annotations"]:
        by_image.setdefault(a["image_id"], []).append(a)
    check(len(restored["images"]) == len(coco["images"]), f"od {split} → coco: image count")
    for image_id, objs in anns.items():
        got = by_image.get(image_id, [])
        if not check(len(got) == len(objs), f"od {split} → coco image {image_id}: {len(got)} of {len(objs)} annotations"):
            continue
        image = images[image_id]
        for a, b in zip(objs, got):
            seg = b["segmentation"]
            rle = mask_utils.frPyObjects(seg, image["height"], image["width"]) if isinstance(seg["counts"], list) \
                else {"size": seg["size"], "counts": seg["counts"].encode()}
            m = mask_utils.decode(rle)
            expected = decode_oracle(oracle[(file_key, a["id"])])
            kind = "crowd" if a["iscrowd"] else "non-crowd"
            check(b["category_id"] == a["category_id"] and b["iscrowd"] == a["iscrowd"] and np.array_equal(m, expected),
                  f"od {split} → coco: {kind} annotation {a['id']} mask differs from the oracle")


def check_tensorflow_fixture():
    fixture = os.path.join(REPO, "formats", "tfrecord", "good", "tf-written.tfrecord")
    out = os.path.join(WORK, "tf_written.json")
    # Record 0 is DeepLab, records 1-2 OD: read as OD, record 0 is skipped and reported.
    if run("tfrecord2coco", fixture, out, "--schema", "od", "--on-error", "skip"):
        d = json.load(open(out))
        check(sorted(im["id"] for im in d["images"]) == [7, 42], f"tf-written: images {[im['id'] for im in d['images']]}")
        check(len(d["annotations"]) == 5, f"tf-written: {len(d['annotations'])} annotations")
    out2 = os.path.join(WORK, "tf_written_deeplab.json")
    if run("tfrecord2coco", fixture, out2, "--schema", "deeplab", "--on-error", "skip"):
        d = json.load(open(out2))
        check([im["id"] for im in d["images"]] == [1], "tf-written as deeplab: one image")
        check(sorted(a["category_id"] for a in d["annotations"]) == [1, 18], "tf-written as deeplab: classes 1 and 18")


def main():
    oracle = oracle_masks()
    for split in ["val2017", "train2017"]:
        ann = os.path.join(REAL, "instances", "annotations", f"instances_{split}.json")
        coco = json.load(open(ann))
        images_dir = os.path.join(REAL, "instances", split)
        check_deeplab(split, coco, images_dir)
        check_od(split, coco, images_dir, oracle)
    check_tensorflow_fixture()
    finish()


if __name__ == "__main__":
    main()

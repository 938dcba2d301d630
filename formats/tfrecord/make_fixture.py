#!/usr/bin/env python3
"""Writes formats/tfrecord/good/tf-written.tfrecord with TensorFlow's own writer, and its golden.

Run once by hand (CI never installs TensorFlow); the outputs are committed:

    python3 -m venv /tmp/tfvenv && /tmp/tfvenv/bin/pip install tensorflow-cpu
    /tmp/tfvenv/bin/python formats/tfrecord/make_fixture.py

Outputs (next to this script):
  good/tf-written.tfrecord        3 records written by tf.io.TFRecordWriter
      0  DeepLab keys (build_data.image_seg_to_tfexample), tf.train.Example, default serialisation
      1  TF OD API keys with masks (create_coco_tf_record.py), tf.train.Example, keys in sorted order
      2  TF OD API keys without masks and without class/label (the older script), serialised from a
         proto2 copy of feature.proto whose repeated scalars are NOT packed, keys in reverse order
  good/tf-written.expected.json   what TensorFlow itself parses back (tf.data.TFRecordDataset +
                                  tf.train.Example.FromString): per record, per key, kind and values
                                  (bytes values as length + sha256 + text when printable)
  bad/bad-crc.tfrecord            record 1 of the good file with one payload byte flipped
  bad/truncated.tfrecord          the good file cut in the middle of record 2
"""
import hashlib
import json
import os

import numpy as np
import tensorflow as tf
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

HERE = os.path.dirname(os.path.abspath(__file__))
GOOD = os.path.join(HERE, "good")
BAD = os.path.join(HERE, "bad")


def b(v):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=v))


def i(v):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=v))


def f(v):
    return tf.train.Feature(float_list=tf.train.FloatList(value=v))


def jpeg(h, w, seed):
    rng = np.random.default_rng(seed)
    img = rng.integers(0, 255, size=(h, w, 3), dtype=np.uint8)
    return tf.io.encode_jpeg(img, quality=80).numpy()


def png(arr):
    return tf.io.encode_png(arr[:, :, None].astype(np.uint8)).numpy()


def deeplab_record():
    h, w = 6, 8
    label = np.zeros((h, w), np.uint8)
    label[1:4, 1:5] = 18
    label[4:6, 5:8] = 1
    label[0, 7] = 255
    ex = tf.train.Example(features=tf.train.Features(feature={
        "image/encoded": b([jpeg(h, w, 1)]),
        "image/filename": b([b"000000000001"]),
        "image/format": b([b"jpeg"]),
        "image/height": i([h]),
        "image/width": i([w]),
        "image/channels": i([3]),
        "image/segmentation/class/encoded": b([png(label)]),
        "image/segmentation/class/format": b([b"png"]),
    }))
    return ex.SerializeToString()


def od_record_with_masks():
    h, w = 6, 8
    img = jpeg(h, w, 2)
    m1 = np.zeros((h, w), np.uint8)
    m1[1:4, 1:5] = 1
    m2 = np.zeros((h, w), np.uint8)
    m2[3:6, 4:8] = 1
    ex = tf.train.Example(features=tf.train.Features(feature={
        "image/height": i([h]),
        "image/width": i([w]),
        "image/filename": b([b"000000000042.jpg"]),
        "image/source_id": b([b"42"]),
        "image/key/sha256": b([hashlib.sha256(img).hexdigest().encode()]),
        "image/encoded": b([img]),
        "image/format": b([b"jpeg"]),
        "image/object/bbox/xmin": f([1 / w, 4 / w]),
        "image/object/bbox/xmax": f([5 / w, 8 / w]),
        "image/object/bbox/ymin": f([1 / h, 3 / h]),
        "image/object/bbox/ymax": f([4 / h, 6 / h]),
        "image/object/class/text": b([b"cat", b"dog"]),
        "image/object/class/label": i([17, 18]),
        "image/object/is_crowd": i([0, 1]),
        "image/object/area": f([12.0, 12.0]),
        "image/object/mask": b([png(m1), png(m2)]),
    }))
    return ex.SerializeToString(deterministic=True)


def unpacked_example_class():
    """A proto2 copy of tensorflow/core/example/feature.proto + example.proto: same field numbers,
    repeated scalars unpacked (proto2's default), so the bytes show the unpacked wire form."""
    fdp = descriptor_pb2.FileDescriptorProto(name="unpacked_example.proto", package="unpacked", syntax="proto2")
    L = descriptor_pb2.FieldDescriptorProto

    def msg(name, fields, map_entry=False):
        m = fdp.message_type.add(name=name)
        if map_entry:
            m.options.map_entry = True
        for fname, num, ftype, label, tname in fields:
            fd = m.field.add(name=fname, number=num, type=ftype, label=label)
            if tname:
                fd.type_name = tname
        return m

    msg("BytesList", [("value", 1, L.TYPE_BYTES, L.LABEL_REPEATED, None)])
    msg("FloatList", [("value", 1, L.TYPE_FLOAT, L.LABEL_REPEATED, None)])
    msg("Int64List", [("value", 1, L.TYPE_INT64, L.LABEL_REPEATED, None)])
    feat = msg("Feature", [
        ("bytes_list", 1, L.TYPE_MESSAGE, L.LABEL_OPTIONAL, ".unpacked.BytesList"),
        ("float_list", 2, L.TYPE_MESSAGE, L.LABEL_OPTIONAL, ".unpacked.FloatList"),
        ("int64_list", 3, L.TYPE_MESSAGE, L.LABEL_OPTIONAL, ".unpacked.Int64List"),
    ])
    feat.oneof_decl.add(name="kind")
    for fd in feat.field:
        fd.oneof_index = 0
    features = fdp.message_type.add(name="Features")
    entry = features.nested_type.add(name="FeatureEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=L.TYPE_STRING, label=L.LABEL_OPTIONAL)
    entry.field.add(name="value", number=2, type=L.TYPE_MESSAGE, label=L.LABEL_OPTIONAL,
                    type_name=".unpacked.Feature")
    features.field.add(name="feature", number=1, type=L.TYPE_MESSAGE, label=L.LABEL_REPEATED,
                       type_name=".unpacked.Features.FeatureEntry")
    msg("Example", [("features", 1, L.TYPE_MESSAGE, L.LABEL_OPTIONAL, ".unpacked.Features")])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("unpacked.Example"))


def od_record_unpacked():
    h, w = 4, 5
    img = jpeg(h, w, 3)
    Example = unpacked_example_class()
    ex = Example()
    items = [
        ("image/height", "int64_list", [h]),
        ("image/width", "int64_list", [w]),
        ("image/filename", "bytes_list", [b"000000000007.jpg"]),
        ("image/source_id", "bytes_list", [b"7"]),
        ("image/key/sha256", "bytes_list", [hashlib.sha256(img).hexdigest().encode()]),
        ("image/encoded", "bytes_list", [img]),
        ("image/format", "bytes_list", [b"jpeg"]),
        ("image/object/bbox/xmin", "float_list", [0.2, 0.0, 0.4]),
        ("image/object/bbox/xmax", "float_list", [0.6, 1.0, 0.8]),
        ("image/object/bbox/ymin", "float_list", [0.25, 0.0, 0.5]),
        ("image/object/bbox/ymax", "float_list", [0.75, 0.5, 1.0]),
        ("image/object/class/text", "bytes_list", [b"person", b"person", b"kite"]),
        ("image/object/is_crowd", "int64_list", [0, 0, 0]),
        ("image/object/area", "float_list", [4.0, 10.0, 2.0]),
    ]
    for key, kind, values in reversed(items):
        getattr(ex.features.feature[key], kind).value.extend(values)
    data = ex.SerializeToString()
    # The whole point of this record: prove the float/int64 lists went out unpacked.
    assert bytes([0x0D]) in data and tf.train.Example.FromString(data).features.feature["image/width"].int64_list.value == [w]
    return data


def describe(raw):
    ex = tf.train.Example.FromString(raw)
    out = {}
    for key, feat in ex.features.feature.items():
        kind = feat.WhichOneof("kind")
        if kind == "bytes_list":
            vals = []
            for v in feat.bytes_list.value:
                d = {"length": len(v), "sha256": hashlib.sha256(v).hexdigest()}
                try:
                    s = v.decode("ascii")
                    if s.isprintable():
                        d["text"] = s
                except UnicodeDecodeError:
                    pass
                vals.append(d)
            out[key] = {"kind": kind, "values": vals}
        elif kind == "float_list":
            out[key] = {"kind": kind, "values": [float(np.float32(v)) for v in feat.float_list.value]}
        elif kind == "int64_list":
            out[key] = {"kind": kind, "values": [int(v) for v in feat.int64_list.value]}
        else:
            out[key] = {"kind": "unset", "values": []}
    return out


def main():
    os.makedirs(GOOD, exist_ok=True)
    os.makedirs(BAD, exist_ok=True)
    path = os.path.join(GOOD, "tf-written.tfrecord")
    records = [deeplab_record(), od_record_with_masks(), od_record_unpacked()]
    with tf.io.TFRecordWriter(path) as w:
        for r in records:
            w.write(r)
    # Golden: what TensorFlow's reader and parser see in the file.
    parsed = [describe(r.numpy()) for r in tf.data.TFRecordDataset(path)]
    assert len(parsed) == 3
    with open(os.path.join(GOOD, "tf-written.expected.json"), "w") as fh:
        json.dump({"generator": f"tensorflow {tf.__version__}", "records": parsed}, fh, indent=1, sort_keys=True)
        fh.write("\n")
    data = open(path, "rb").read()
    first = 12 + len(records[0]) + 4
    flip = bytearray(data)
    flip[first + 12 + 5] ^= 0x40  # a payload byte of record 1
    open(os.path.join(BAD, "bad-crc.tfrecord"), "wb").write(bytes(flip))
    second = first + 12 + len(records[1]) + 4
    open(os.path.join(BAD, "truncated.tfrecord"), "wb").write(data[: second + 12 + len(records[2]) // 2])
    print(f"wrote {path} ({len(data)} bytes), record offsets 0, {first}, {second}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Makes a bigger SA-1B-style set by repeating the committed fixture (formats/sa1b/good/tars).

    python3 bench/make_sa1b.py OUT --tars 40 --images-per-tar 100

Writes OUT/sa_000000.tar … with IMAGES samples each: the fixture's samples in turn, each copy given
a new image id and annotation ids (sa_<id>.jpg + sa_<id>.json, SA-1B's per-image JSON), so the masks
and JPEGs are real and every key is unique. For read-speed and memory measurements only.
"""
import argparse
import glob
import io
import json
import os
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(os.path.dirname(HERE), "formats", "sa1b", "good", "tars")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--tars", type=int, default=1)
    ap.add_argument("--images-per-tar", type=int, default=100)
    args = ap.parse_args()
    samples = []
    for path in sorted(glob.glob(os.path.join(FIXTURE, "sa_*.tar"))):
        with tarfile.open(path) as tf:
            members = {m.name: tf.extractfile(m).read() for m in tf.getmembers()}
        for name, data in members.items():
            if name.endswith(".json"):
                samples.append((json.loads(data), members[name[:-5] + ".jpg"]))
    os.makedirs(args.out, exist_ok=True)
    image_id = 1
    annotation_id = 1
    masks = 0
    for t in range(args.tars):
        with tarfile.open(os.path.join(args.out, f"sa_{t:06d}.tar"), "w", format=tarfile.USTAR_FORMAT) as tf:
            for k in range(args.images_per_tar):
                record, jpeg = samples[(t * args.images_per_tar + k) % len(samples)]
                record = json.loads(json.dumps(record))
                record["image"]["image_id"] = image_id
                record["image"]["file_name"] = f"sa_{image_id}.jpg"
                for a in record["annotations"]:
                    a["id"] = annotation_id
                    annotation_id += 1
                masks += len(record["annotations"])
                for name, data in ((f"sa_{image_id}.jpg", jpeg), (f"sa_{image_id}.json", json.dumps(record).encode())):
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    tf.addfile(info, io.BytesIO(data))
                image_id += 1
    print(f"{args.tars} tars, {image_id - 1} images, {masks} masks")


if __name__ == "__main__":
    main()

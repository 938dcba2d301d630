#!/usr/bin/env bash
# COCO instances → TFRecord for DeepLab and for the TF Object Detection API, and back.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${COCOCONVERT:-cococonvert}
out=${OUT:-$here/../out}/examples-tfrecord
ann="$here/coco-mini/annotations/instances_val2017.json"
rm -rf "$out"
"$bin" coco2tfrecord "$ann" "$out/deeplab" --schema deeplab --shard 4
"$bin" coco2tfrecord "$ann" "$out/od" --schema od --masks
ls "$out/deeplab" "$out/od"
"$bin" tfrecord2coco "$out/od" "$out/back.json"
"$bin" tfrecord2png "$out/deeplab" "$out/labels"

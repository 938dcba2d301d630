#!/usr/bin/env bash
# COCO instances → Pascal VOC (devkit layout), then VOC → COCO again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${COCOCONVERT:-cococonvert}
out=${OUT:-$here/../out}/examples-voc
rm -rf "$out"
"$bin" coco2voc "$here/coco-mini/annotations/instances_val2017.json" "$out/voc" --layout devkit
ls "$out/voc/VOCdevkit/VOC2012"
"$bin" voc2coco "$out/voc" "$out/back.json"
"$bin" inspect "$out/back.json" > "$out/back-inspect.txt" && head -5 "$out/back-inspect.txt"

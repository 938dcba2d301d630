#!/usr/bin/env bash
# COCO instances → one label PNG per image, three value conventions.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${COCOCONVERT:-cococonvert}
out=${OUT:-$here/../out}/examples-png
ann="$here/coco-mini/annotations/instances_val2017.json"
rm -rf "$out"
# DeepLab / mmseg default: 1..80 train ids, 0 background, 255 ignore, palette PNGs.
"$bin" coco2png "$ann" "$out/contiguous"
# cocostuffapi convention: pixel = COCO category id, gray PNGs.
"$bin" coco2png "$ann" "$out/coco-ids" --labels coco --palette none
# torchvision's 21 VOC classes; crowds and overlaps painted 255.
"$bin" coco2png "$ann" "$out/voc21" --labels voc21 --crowd ignore --overlap ignore
head -c 300 "$out/contiguous/labels.json"; echo

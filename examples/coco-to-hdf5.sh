#!/usr/bin/env bash
# COCO instances → HDF5 shards of label tensors (3 samples per shard), read back with h5py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${COCOCONVERT:-cococonvert}
out=${OUT:-$here/../out}/examples-hdf5
rm -rf "$out"
"$bin" coco2hdf5 "$here/coco-mini/annotations/instances_val2017.json" "$out/shards" --shard 3
"$bin" inspect "$out/shards"
python3 "$here/load_hdf5_batch.py" "$out/shards"
"$bin" hdf52coco "$out/shards" "$out/back.json"

#!/bin/bash
# Submits the array (one task per partition) and the merge that waits for all of it.
#   ./slurm_submit.sh N IN OUT [cococonvert options]     (ROUTE=coco2voc ./slurm_submit.sh … for other routes)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=$1; shift
job=$(sbatch --parsable --array=0-$((n - 1)) "$here/slurm_convert.sbatch" "$@")
sbatch --parsable --dependency=afterok:"${job%%;*}" "$here/slurm_merge.sbatch" "$2"

#!/bin/bash
# Submits the array (one task per partition) and the merge that waits for all of it.
#   ./slurm_submit.sh N IN OUT [cococonvert options]
# ROUTE=coco2voc for another route (default coco2png); CPUS=16 for the cores each task gets (default 8);
# COCOCONVERT=/shared/bin/cococonvert when it is not on the nodes' PATH. Prints both job ids.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=$1; shift
job=$(sbatch --parsable --array=0-$((n - 1)) --cpus-per-task="${CPUS:-8}" "$here/slurm_convert.sbatch" "$@")
echo "$job"
sbatch --parsable --dependency=afterok:"${job%%;*}" "$here/slurm_merge.sbatch" "$2"

#!/usr/bin/env bash
# Scores MODEL on the test split of DATA with a Slurm job array: each array task separates and
# scores its shard of the tracks (balanced by duration), keeping the stems in OUT/estimates and
# its scores in OUT/evaluation.shard-K-of-N.json. A re-queued (preempted) task resumes where it
# stopped. Submit, then merge once every task is done (see docs/cluster.md):
#   jobid=$(sbatch --parsable docs/cluster/slurm-evaluate.sh)
#   sbatch --dependency=afterok:$jobid --wrap "auralflow evaluate --merge $OUT"
#SBATCH --job-name=auralflow-evaluate
#SBATCH --array=1-3
#SBATCH --cpus-per-task=4
#SBATCH --requeue
#SBATCH --output=auralflow-evaluate-%a.log
set -euo pipefail
AURALFLOW=${AURALFLOW:-auralflow}
MODEL=${MODEL:-umx-real}
DATA=${DATA:-/shared/musdb18}
OUT=${OUT:-/shared/scores/umx-real}

# The shard comes from SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT.
"$AURALFLOW" evaluate "$MODEL" "$DATA" --split test --threads "${SLURM_CPUS_PER_TASK:-4}" \
  --save "$OUT/estimates" --output "$OUT/evaluation.csv"

#!/usr/bin/env bash
# Training chunks/s of `auralflow train` with 1 and 2 local processes on the same global batch
# (8 chunks: 1 × 8 and 2 × 4), SpectrogramNetSimple as the bundled synth-simple model, one
# LibTorch thread per process; and 1 process with 2 threads, the fair comparison on 2 cores.
#   bench/bench_distributed_training.sh DATASET [CHUNKS_PER_EPOCH]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?dataset folder (e.g. from auralflow synth)}
chunks=${2:-64}
bin=build/bin/auralflow
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
settings=(--targets vocals,drums,bass,other --num-channels 2 --hidden-channels 8 --dropout-p 0.1
  --criterion l1 --max-num-samples "$chunks" --num-workers 1 --device cpu --tensorboard false
  --save-image false --save-audio false)
run() { # NAME BATCH THREADS NPROC
  "$bin" config "$1" SpectrogramNetSimple --save "$work" "${settings[@]}" --batch-size "$2" > /dev/null
  local start end
  start=$(date +%s.%N)
  "$bin" train "$work/$1" "$data" --epochs 1 --no-evaluate --threads "$3" --nproc "$4" 2>&1 |
    grep -o "[0-9.]* chunks/s" | tail -n 1 | sed "s/^/$1: /"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" -v n="$chunks" -v name="$1" 'BEGIN { printf "%s: wall %.1f s for %d chunks (incl. start-up and validation)\n", name, b - a, n }'
}
run one_process_1_thread 8 1 1
run one_process_2_threads 8 2 1
run two_processes_1_thread 4 1 2

#!/usr/bin/env bash
# The recipe of the bundled models in models/: renders the generated dataset, trains both
# networks, scores them on the generated test split (which no model saw), and packs them
# (model weights only, half precision) into models/.
#
#   ./scripts/build.sh && ./scripts/train-pretrained.sh [WORK_DIR]
#
# WORK_DIR (default: pretrained-work) receives the dataset, the model folders with their
# checkpoints, TensorBoard runs and evaluation.csv; start with an empty one (a rerun would train
# EPOCHS more epochs). EPOCHS (default below) is the number the shipped models were trained for;
# "Pretrained models" in README.md gives the wall time and the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${AURALFLOW:-build/bin/auralflow}
work=${1:-pretrained-work}
epochs=${EPOCHS:-9}
mkdir -p "$work"

# 60 train + 10 test songs of 30 s, 44.1 kHz stereo, seed 0 (about 3 minutes).
[ -d "$work/synth/test" ] ||
  "$bin" synth "$work/synth" --tracks 60 --test-tracks 10 --duration 30 --seed 0

# Settings shared by both models: four targets from one stereo network, short epochs.
common=(--targets vocals,drums,bass,other --num-channels 2 --hidden-channels 8
  --dropout-p 0.1 --criterion l1 --batch-size 8 --lr 0.001 --lr-lstm 0.001
  --max-num-samples 480 --num-workers 1 --seed 0 --device cpu --save-frequency 4)

configure() { # NAME TYPE [more settings]
  local name=$1 type=$2
  shift 2
  [ -f "$work/$name/config.json" ] || "$bin" config "$name" "$type" --save "$work" "${common[@]}" "$@"
}
configure synth-simple SpectrogramNetSimple
configure synth-lstm SpectrogramNetLSTM --hidden-size 128 --recurrent-depth 2

train() { "$bin" train "$work/$1" "$work/synth" --threads 1 --epochs "$epochs" --no-evaluate; }
train synth-simple > "$work/synth-simple.log" 2>&1 &
simple=$!
train synth-lstm > "$work/synth-lstm.log" 2>&1
wait "$simple"

# Score both on the 10 test songs (side by side), then pack them with their scores.
pids=()
for name in synth-simple synth-lstm; do
  "$bin" evaluate "$work/$name" "$work/synth" --threads 1 \
    --output "$work/$name/evaluation.csv" > "$work/$name-evaluation.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
about="4 stems (vocals, drums, bass, other), stereo 44.1 kHz, trained on generated songs"
"$bin" pretrained pack "$work/synth-simple" models/synth-simple.pth --default \
  --registry models/registry.json --description "SpectrogramNetSimple (hidden_channels 8); $about"
"$bin" pretrained pack "$work/synth-lstm" models/synth-lstm.pth \
  --registry models/registry.json \
  --description "SpectrogramNetLSTM (hidden_channels 8, 2 x 128 LSTM); $about"

#!/usr/bin/env bash
# The recipe of the bundled models in models/.
#
#   ./scripts/build.sh && ./scripts/train-pretrained.sh REAL_DATASET [WORK_DIR]
#
# REAL_DATASET: real multitrack music in the MUSDB18 (.stem.mp4) or MUSDB18-HQ (WAV folders)
# layout whose train/ holds the 14 MUSDB18 validation tracks (the full MUSDB18, MUSDB18-HQ, or
# the MUSDB18 7-second sample set). WAV folders train faster than .stem.mp4, which is decoded
# chunk by chunk; docs/pretrained.md shows a one-line conversion.
# WORK_DIR (default: pretrained-work) receives the generated songs and the model folders with
# their checkpoints, TensorBoard runs and evaluation.csv files. Running the script again resumes
# the training where it stopped (a finished run trains EPOCHS more epochs: start with an empty
# WORK_DIR to reproduce). EPOCHS is the number of epochs the shipped models were trained for
# (umx-real: 30, where early stopping ended it; its best checkpoint is from epoch 28);
# README.md ("Pretrained models") gives the wall time and the machine.
#
#   umx-real      the default: SpectrogramNetUMX on the real train tracks (3 chunks in 4) and
#                 generated songs (1 in 4), selected by the loss on the real validation tracks
#                 and scored on them
#   synth-simple, synth-lstm   SpectrogramNetSimple / LSTM on generated songs only (SYNTH=1)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: $0 REAL_DATASET [WORK_DIR]" >&2
  exit 2
fi
bin=${AURALFLOW:-build/bin/auralflow}
real=$1
work=${2:-pretrained-work}
epochs=${EPOCHS:-30}
synth_epochs=${SYNTH_EPOCHS:-9}
mkdir -p "$work"

# 60 train + 10 test generated songs of 30 s, 44.1 kHz stereo, seed 0 (3 to 6 minutes).
[ -d "$work/synth/test" ] ||
  "$bin" synth "$work/synth" --tracks 60 --test-tracks 10 --duration 30 --seed 0

configure() { # NAME TYPE [settings]
  local name=$1 type=$2
  shift 2
  [ -f "$work/$name/config.json" ] || "$bin" config "$name" "$type" --save "$work" "$@"
}

# The default: four targets from one stereo SpectrogramNetUMX, 4-s chunks, epochs of 640.
configure umx-real SpectrogramNetUMX --hidden-size 256 --dropout-p 0.2 --sample-length 4 \
  --batch-size 16 --max-num-samples 640 --max-num-tracks 100000 --num-workers 1 \
  --stop-patience 10 --criterion l2 --device cpu --save-frequency 5
"$bin" train "$work/umx-real" "$real" "$work/synth" --weights 3 1 --epochs "$epochs" \
  --no-evaluate 2>&1 | tee -a "$work/umx-real.log"
"$bin" evaluate "$work/umx-real" "$real" --split valid \
  --output "$work/umx-real/evaluation.csv" > "$work/umx-real-evaluation.log" 2>&1
"$bin" pretrained pack "$work/umx-real" models/umx-real.pth --default \
  --registry models/registry.json \
  --description "SpectrogramNetUMX (hidden_size 256, 3 BLSTM layers); 4 stems (vocals, drums, \
bass, other), stereo 44.1 kHz, trained on real multitrack music (MUSDB18 7-s sample, 80 train \
tracks) and 60 generated songs; scores on the 14 MUSDB18 validation tracks"

[ "${SYNTH:-0}" = 1 ] || exit 0

# The generated-songs-only models: short epochs, both trained side by side, one thread each.
common=(--targets vocals,drums,bass,other --num-channels 2 --hidden-channels 8
  --dropout-p 0.1 --criterion l1 --batch-size 8 --lr 0.001 --lr-lstm 0.001
  --max-num-samples 480 --num-workers 1 --seed 0 --device cpu --save-frequency 4)
configure synth-simple SpectrogramNetSimple "${common[@]}"
configure synth-lstm SpectrogramNetLSTM "${common[@]}" --hidden-size 128 --recurrent-depth 2
train_synth() { "$bin" train "$work/$1" "$work/synth" --threads 1 --epochs "$synth_epochs" --no-evaluate; }
train_synth synth-simple > "$work/synth-simple.log" 2>&1 &
simple=$!
train_synth synth-lstm > "$work/synth-lstm.log" 2>&1
wait "$simple"
pids=()
for name in synth-simple synth-lstm; do
  "$bin" evaluate "$work/$name" "$work/synth" --threads 1 \
    --output "$work/$name/evaluation.csv" > "$work/$name-evaluation.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
about="4 stems (vocals, drums, bass, other), stereo 44.1 kHz, trained on generated songs"
"$bin" pretrained pack "$work/synth-simple" models/synth-simple.pth \
  --registry models/registry.json --description "SpectrogramNetSimple (hidden_channels 8); $about"
"$bin" pretrained pack "$work/synth-lstm" models/synth-lstm.pth \
  --registry models/registry.json \
  --description "SpectrogramNetLSTM (hidden_channels 8, 2 x 128 LSTM); $about"

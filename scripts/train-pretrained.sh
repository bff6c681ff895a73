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
#   *-real        one small model per other network type, 5 minutes each (ARCH=1); the two
#                 waveform nets that need longer, 11 minutes each (WAVE=1)
#   synth-simple  SpectrogramNetSimple on generated songs only (SYNTH=1)
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
# DEFAULT=0 skips it (e.g. to run only the ARCH=1 part below).
if [ "${DEFAULT:-1}" = 1 ]; then
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
fi

# Small models of the other network types, on the same data as the default, each trained for
# arch_seconds of wall time, one epoch (128 four-second chunks) at a time. NAME/train-seconds
# keeps the time spent, so running the script again resumes.
arch=(--targets vocals,drums,bass,other --num-channels 2 --sample-length 4 --batch-size 8
  --max-num-samples 128 --max-num-tracks 100000 --num-workers 1 --stop-patience 1000
  --seed 0 --device cpu --save-frequency 1000)
# NAME TYPE BUNDLE DESCRIPTION [settings]: configure, train, score; BUNDLE=1 packs it.
arch_model() {
  local name=$1 type=$2 bundle=$3 about=$4 spent=0 start
  shift 4
  configure "$name" "$type" "${arch[@]}" "$@"
  [ -f "$work/$name/train-seconds" ] && spent=$(cat "$work/$name/train-seconds")
  while [ "$spent" -lt "$arch_seconds" ]; do
    start=$SECONDS
    "$bin" train "$work/$name" "$real" "$work/synth" --weights 3 1 --epochs 1 --no-evaluate \
      >> "$work/$name.log" 2>&1
    spent=$((spent + SECONDS - start))
    echo "$spent" > "$work/$name/train-seconds"
  done
  [ -f "$work/$name/evaluation.csv" ] ||
    "$bin" evaluate "$work/$name" "$real" --split valid \
      --output "$work/$name/evaluation.csv" > "$work/$name-evaluation.log" 2>&1
  [ "$bundle" = 1 ] || return 0
  "$bin" pretrained pack "$work/$name" "models/$name.pth" --registry models/registry.json \
    --description "$type ($about); 4 stems (vocals, drums, bass, other), stereo 44.1 kHz, \
trained for $((spent / 60)) min on real multitrack music (MUSDB18 7-s sample, 80 train tracks) \
and 60 generated songs; scores on the 14 MUSDB18 validation tracks"
}

# ARCH=1: the equal-time comparison of docs/architectures.md, ARCH_MINUTES (5) minutes per
# type; those that separate better than the mixture are bundled.
if [ "${ARCH:-0}" = 1 ]; then
  arch_seconds=$((${ARCH_MINUTES:-5} * 60))
  arch_model vae-real SpectrogramNetVAE 1 "hidden_channels 4, hidden_size 64" \
    --hidden-channels 4 --hidden-size 64 --criterion l2
  arch_model wave-real AudioNetSimple 1 "hidden_channels 12" --hidden-channels 12 --criterion l1
  # Not bundled: after 5 minutes both score below the mixture itself (docs/architectures.md);
  # WAVE=1 below trains them longer.
  arch_model wave-lstm-5min AudioNetSimpleLSTM 0 "hidden_channels 12, 2 x 128 LSTM" \
    --hidden-channels 12 --hidden-size 128 --criterion l1
  arch_model wave-vae-5min AudioNetVAE 0 "hidden_channels 12, hidden_size 128" \
    --hidden-channels 12 --hidden-size 128 --criterion l1
  arch_model hybrid-real HybridNet 1 "SpectrogramNetLSTM and AudioNetSimpleLSTM branches, \
hidden_channels 4, 2 x 64 LSTMs" --hidden-channels 4 --hidden-size 64 --recurrent-depth 2 \
    --criterion l1
  arch_model simple-real SpectrogramNetSimple 1 "hidden_channels 4" --hidden-channels 4 \
    --criterion l2
  arch_model lstm-real SpectrogramNetLSTM 1 "hidden_channels 4, 2 x 64 LSTM" \
    --hidden-channels 4 --hidden-size 64 --recurrent-depth 2 --criterion l2
  # The default's network at the same budget, for the comparison only (umx-real is bundled).
  arch_model umx-small SpectrogramNetUMX 0 "hidden_size 128" --hidden-size 128 --criterion l2
fi

# WAVE=1: the two waveform networks that stay below the mixture after 5 minutes, trained for
# WAVE_MINUTES (11) minutes each (their plateau schedule has made its 5 reductions by about 10),
# bundled (the pretrained list then covers every network type).
# Their L1 losses are about 0.05, so the default min_delta (0.01, the original's) would count
# every epoch as bad and halve the learning rate every third epoch; 1e-4 counts real progress.
if [ "${WAVE:-0}" = 1 ]; then
  arch_seconds=$((${WAVE_MINUTES:-11} * 60))
  arch_model wave-lstm-real AudioNetSimpleLSTM 1 "hidden_channels 12, 2 x 128 LSTM" \
    --hidden-channels 12 --hidden-size 128 --criterion l1 --min-delta 0.0001
  arch_model wave-vae-real AudioNetVAE 1 "hidden_channels 12, hidden_size 128" \
    --hidden-channels 12 --hidden-size 128 --criterion l1 --min-delta 0.0001
fi

[ "${SYNTH:-0}" = 1 ] || exit 0

# The generated-songs-only model: short epochs, one thread.
configure synth-simple SpectrogramNetSimple --targets vocals,drums,bass,other --num-channels 2 \
  --hidden-channels 8 --dropout-p 0.1 --criterion l1 --batch-size 8 --lr 0.001 --lr-lstm 0.001 \
  --max-num-samples 480 --num-workers 1 --seed 0 --device cpu --save-frequency 4
"$bin" train "$work/synth-simple" "$work/synth" --threads 1 --epochs "$synth_epochs" \
  --no-evaluate > "$work/synth-simple.log" 2>&1
"$bin" evaluate "$work/synth-simple" "$work/synth" --threads 1 \
  --output "$work/synth-simple/evaluation.csv" > "$work/synth-simple-evaluation.log" 2>&1
"$bin" pretrained pack "$work/synth-simple" models/synth-simple.pth \
  --registry models/registry.json --description "SpectrogramNetSimple (hidden_channels 8); 4 \
stems (vocals, drums, bass, other), stereo 44.1 kHz, trained on generated songs"

#!/usr/bin/env bash
# The main job on the bundled default: renders a short demo song with its true stems
# (auralflow synth, a seed none of the bundled models was trained on), separates it with the
# default pretrained model, and scores each stem against the truth (SI-SDR and BSSEval).
# Builds the command-line tool first if needed (only it, not the tests).
#
#   DEMO_OUT       output folder (default: out/demo)
#   DEMO_DURATION  seconds of demo song (default: 30)
#   AURALFLOW      the auralflow executable to use (default: build it into build/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${DEMO_OUT:-out/demo}
duration=${DEMO_DURATION:-30}
bin=${AURALFLOW:-}
if [ -z "$bin" ]; then
  [ -f build/build.ninja ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
  cmake --build build --target auralflow_cli --parallel "$(nproc)"
  bin=build/bin/auralflow
fi

"$bin" pretrained list
"$bin" synth "$out/song" --tracks 0 --test-tracks 1 --duration "$duration" --seed 2026 --force
track=$(find "$out/song/test" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)
"$bin" separate "$track" --save "$out" --force
"$bin" evaluate --estimates "$out/separated_audio" --references "$out/song" \
  --output "$out/evaluation.csv"
echo "demo: the stems are in $out/separated_audio/$(basename "$track")/"
echo "demo: the true stems are in $track/, the scores in $out/evaluation.csv"

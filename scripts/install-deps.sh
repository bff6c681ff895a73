#!/usr/bin/env bash
# Installs every Debian package Auralflow needs to build, test and run.
# Idempotent: packages already present are skipped; `apt-get update` runs at most once.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  libtorch-dev libopenblas0-pthread
  libsndfile1-dev libsoxr-dev
  libavformat-dev libavcodec-dev libavutil-dev libswresample-dev
  nlohmann-json3-dev libcli11-dev libpng-dev
  libprotobuf-dev protobuf-compiler
  libfluidsynth-dev fluid-soundfont-gm
  libcurl4-openssl-dev libssl-dev
  libgloo-dev
  libgoogle-perftools-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  doxygen
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

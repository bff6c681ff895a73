#!/usr/bin/env bash
# The main job on the bundled default, as far as it exists today: creates a
# model folder from the default template and shows its settings. Separation of
# the demo song with a bundled model lands with issues #5 and #6 and will be
# added here then.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin/auralflow
mkdir -p out
"$bin" --version
"$bin" config demo_model SpectrogramNetSimple --save out --force --display
echo "demo: model folder ready in out/demo_model (separation not built yet: issues #5, #6)"

#!/usr/bin/env bash
# Takes the user guide's screenshots (docs/screenshots/*.png) from the real app under Xvfb: builds pdesk_screenshots
# and runs it on a virtual 1600x1000 display. Usage: scripts/take-screenshots.sh [build-dir] (default build/ci).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/ci}
[ -d "$build" ] || cmake --preset "$(basename "$build")"
cmake --build "$build" --target pdesk_screenshots
mkdir -p docs/screenshots
xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/ui/pdesk_screenshots" docs/screenshots

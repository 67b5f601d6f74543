#!/usr/bin/env bash
# Renders the hicolor PNGs of the application icon from resources/icons/pulsar-desk.svg with rsvg-convert
# (librsvg2-bin). The PNGs are committed, so only run this after changing the SVG, and commit what it writes.
set -euo pipefail
cd "$(dirname "$0")/.."

svg=resources/icons/pulsar-desk.svg
command -v rsvg-convert >/dev/null || { echo "render-icons: rsvg-convert not found (apt-get install librsvg2-bin)" >&2; exit 1; }

for size in 16 22 24 32 48 64 128 256 512; do
    dir="resources/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio --format png --output "$dir/pulsar-desk.png" "$svg"
    echo "render-icons: $dir/pulsar-desk.png"
done

#!/usr/bin/env bash
# Installs every build, test and run dependency of Pulsar Desk on Debian 12 (bookworm).
# Idempotent: packages already present are not fetched again. Works as root or through sudo.
set -euo pipefail

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi

# Build: compilers, CMake/Ninja, Qt 6 (Core, Network, WebSockets, Widgets, Test, Linguist), QtKeychain.
# Test: clang + libFuzzer runtime, clang-format, Xvfb for screenshots, Python/Node WebSocket clients, valgrind
# (callgrind counts), lintian and appstreamcli (package checks), rsvg-convert (icon PNGs from the SVG).
# Run: libjwt (token verification in the bundled service), OpenSSL, jemalloc (the programs' allocator).
APT_PACKAGES=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools linguist-qt6 qt6-translations-l10n libqt6svg6 qtkeychain-qt6-dev
    libgl-dev libjwt-dev libssl-dev openssl libjemalloc-dev
    clang clang-format libclang-rt-14-dev
    xvfb xauth valgrind desktop-file-utils
    lintian appstream librsvg2-bin
    python3 python3-websocket
    openjdk-17-jre-headless maven
)
# Node.js may come from elsewhere with npm bundled; only ask Debian for it when it is missing.
command -v node >/dev/null 2>&1 || APT_PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(npm)

missing=()
for package in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "install-deps: all Debian packages present"
fi

# Node.js examples (examples/node): install the `ws` version pinned in their package-lock.json, so that the test
# suite can run them against pulsar-desk-proxy. `npm ci` wipes node_modules first, so it only runs when the lock
# file differs from the one last installed (kept as a stamp inside node_modules).
examples_node="$(dirname "$0")/../examples/node"
if [ -f "$examples_node/package-lock.json" ]; then
    if cmp -s "$examples_node/package-lock.json" "$examples_node/node_modules/.pdesk-installed-lock.json"; then
        echo "install-deps: examples/node dependencies current"
    else
        echo "install-deps: npm ci --prefix examples/node"
        npm ci --prefix "$examples_node" --no-audit --no-fund
        cp "$examples_node/package-lock.json" "$examples_node/node_modules/.pdesk-installed-lock.json"
    fi
fi

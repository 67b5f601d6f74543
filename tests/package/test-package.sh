#!/usr/bin/env bash
# The packages as users get them (ctest label `package`, registered by tests/package/CMakeLists.txt): builds the
# DEB and the TGZ with cpack from an already built tree, unpacks them, runs the packaged programs and checks the
# .deb's contents, metadata and lintian's verdict.
# Usage: test-package.sh <build dir> <project version> <1 if the desktop app is built, else 0> <source dir>
set -euo pipefail

build=$1
version=$2
with_app=$3
source_dir=$4
app_id=io.github.pulsar_desk.PulsarDesk

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
pass() { echo "ok: $*"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# cpack's staging tree (_CPack_Packages) and the packages go to the temporary directory, so that two runs of this
# test, or a developer's own cpack in the build directory, never share files.
for generator in DEB TGZ; do
    if ! (cd "$build" && cpack -G "$generator" -B "$work/out" >"$work/cpack-$generator.log" 2>&1); then
        cat "$work/cpack-$generator.log" >&2
        echo "FAIL: cpack -G $generator" >&2
        exit 1
    fi
done
shopt -s nullglob
debs=("$work"/out/*.deb)
tgzs=("$work"/out/*.tar.gz)
shopt -u nullglob
[ "${#debs[@]}" -eq 1 ] || { echo "FAIL: expected one .deb, got ${#debs[@]}" >&2; exit 1; }
[ "${#tgzs[@]}" -eq 1 ] || { echo "FAIL: expected one .tar.gz, got ${#tgzs[@]}" >&2; exit 1; }
deb=${debs[0]}
tgz=${tgzs[0]}
echo "packages: $(basename "$deb") $(basename "$tgz")"

# --- The control file ---------------------------------------------------------------------------------------------
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = pulsar-desk ] && pass "Package: pulsar-desk" || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] && pass "Version: $version" || fail "Version is '$(field Version)', not $version"
[ "$(field Section)" = net ] && pass "Section: net" || fail "Section is '$(field Section)'"
depends=$(field Depends)
echo "Depends: $depends"
# dpkg-shlibdeps ran: the dependencies name Debian's Qt 6 libraries and jemalloc (linked by the programs).
for library in libqt6core6 libqt6network6 libqt6websockets6 libjemalloc2; do
    [[ "$depends" == *"$library"* ]] && pass "depends on $library" || fail "Depends lacks $library"
done
if [ "$with_app" = 1 ]; then
    for library in libqt6widgets6 libqt6svg6; do
        [[ "$depends" == *"$library"* ]] && pass "depends on $library" || fail "Depends lacks $library"
    done
fi

# --- Contents -----------------------------------------------------------------------------------------------------
root="$work/root"
dpkg-deb -x "$deb" "$root"
outside=$(dpkg-deb --contents "$deb" | awk '{print $6}' | grep -v -E '^\./$|^\./usr(/|$)' || true)
[ -z "$outside" ] && pass "every file is under /usr" || fail "files outside /usr: $outside"

expect_file() {
    if [ -f "$root/$1" ]; then pass "contains /$1"; else fail "missing /$1"; fi
}
expect_absent() {
    if [ -e "$root/$1" ]; then fail "/$1 is packaged but the desktop app is not built"; else pass "no /$1"; fi
}
expect_gzip() {
    expect_file "$1"
    [ -f "$root/$1" ] || return 0
    gzip -t "$root/$1" && pass "/$1 is gzip" || fail "/$1 is not valid gzip"
}

expect_file usr/bin/pulsar-desk-proxy
expect_file usr/share/doc/pulsar-desk/copyright
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
    "$root/usr/share/doc/pulsar-desk/copyright" && pass "copyright is DEP-5" || fail "copyright is not DEP-5"
expect_gzip usr/share/doc/pulsar-desk/changelog.gz
if [ -f "$root/usr/share/doc/pulsar-desk/changelog.gz" ]; then
    head=$(gzip -dc "$root/usr/share/doc/pulsar-desk/changelog.gz" | head -n 1)
    [[ "$head" == "pulsar-desk ($version) "* ]] && pass "changelog starts at $version" ||
        fail "changelog's first entry is '$head'"
fi

man_pages=(pulsar-desk-proxy)
if [ "$with_app" = 1 ]; then man_pages+=(pulsar-desk); fi
for page in "${man_pages[@]}"; do
    path="usr/share/man/man1/$page.1.gz"
    expect_gzip "$path"
    [ -f "$root/$path" ] || continue
    # The page's header names this version, so that a release cannot ship last release's page.
    gzip -dc "$root/$path" | grep -q -E "^\.TH [^ ]+ 1 [^ ]+ \"Pulsar Desk $version\"" &&
        pass "$page.1 is for Pulsar Desk $version" || fail "$page.1's .TH line does not name Pulsar Desk $version"
done

icon_paths=(usr/share/icons/hicolor/scalable/apps/pulsar-desk.svg)
for size in 16 22 24 32 48 64 128 256 512; do
    icon_paths+=("usr/share/icons/hicolor/${size}x${size}/apps/pulsar-desk.png")
done
desktop_paths=("usr/share/applications/$app_id.desktop" "usr/share/metainfo/$app_id.metainfo.xml"
    usr/share/man/man1/pulsar-desk.1.gz usr/bin/pulsar-desk "${icon_paths[@]}")

if [ "$with_app" = 1 ]; then
    for path in "${desktop_paths[@]}"; do expect_file "$path"; done
    # Each PNG is as large as its directory says (the width and height in its IHDR chunk).
    for size in 16 22 24 32 48 64 128 256 512; do
        png="$root/usr/share/icons/hicolor/${size}x${size}/apps/pulsar-desk.png"
        [ -f "$png" ] || continue
        read -r w0 w1 w2 w3 h0 h1 h2 h3 < <(od -An -tu1 -j16 -N8 "$png")
        width=$(((w0 << 24) | (w1 << 16) | (w2 << 8) | w3))
        height=$(((h0 << 24) | (h1 << 16) | (h2 << 8) | h3))
        [ "$width" = "$size" ] && [ "$height" = "$size" ] && pass "${size}x${size} icon is ${width}x${height}" ||
            fail "${size}x${size} icon is ${width}x${height}"
    done
    desktop="$root/usr/share/applications/$app_id.desktop"
    if [ -f "$desktop" ]; then
        grep -qx 'Exec=pulsar-desk' "$desktop" && grep -qx 'Icon=pulsar-desk' "$desktop" &&
            pass "desktop entry runs pulsar-desk with its icon" || fail "desktop entry's Exec or Icon is wrong"
    fi
    metainfo="$root/usr/share/metainfo/$app_id.metainfo.xml"
    if [ -f "$metainfo" ]; then
        grep -q "<release version=\"$version\"" "$metainfo" && pass "metainfo has a release entry for $version" ||
            fail "metainfo has no <release version=\"$version\">"
    fi
else
    for path in "${desktop_paths[@]}"; do expect_absent "$path"; done
fi

# Installed binaries carry no RPATH/RUNPATH: they use the system's Qt.
for program in pulsar-desk-proxy pulsar-desk; do
    binary="$root/usr/bin/$program"
    [ -f "$binary" ] || continue
    if readelf -d "$binary" | grep -q -E 'RPATH|RUNPATH'; then fail "$program has an RPATH"; else pass "$program has no RPATH"; fi
done

# --- The packaged programs run and know their version ------------------------------------------------------------
check_version() {
    local name=$1 binary=$2 output
    # Only stdout is the answer: Qt may warn on stderr (e.g. XDG_RUNTIME_DIR unset under ctest).
    if ! output=$(QT_QPA_PLATFORM=offscreen "$binary" --version 2>"$work/version-stderr"); then
        fail "$binary --version exited non-zero: $output $(cat "$work/version-stderr")"
        return
    fi
    [ "$output" = "$name $version" ] && pass "$name --version prints '$output'" ||
        fail "$name --version printed '$output', expected '$name $version'"
}
check_version pulsar-desk-proxy "$root/usr/bin/pulsar-desk-proxy"
if [ -f "$root/usr/bin/pulsar-desk" ]; then
    check_version pulsar-desk "$root/usr/bin/pulsar-desk"
fi

# --- The TGZ: the same tree, relocatable ---------------------------------------------------------------------------
mkdir "$work/tgz"
tar -xzf "$tgz" -C "$work/tgz"
tgz_top="$work/tgz/pulsar-desk-$version-Linux"
if [ -x "$tgz_top/bin/pulsar-desk-proxy" ]; then
    check_version pulsar-desk-proxy "$tgz_top/bin/pulsar-desk-proxy"
else
    fail "the TGZ has no pulsar-desk-$version-Linux/bin/pulsar-desk-proxy: $(tar -tzf "$tgz" | head -n 20)"
fi
[ -f "$tgz_top/share/man/man1/pulsar-desk-proxy.1.gz" ] && pass "the TGZ has the man page" ||
    fail "the TGZ has no share/man/man1/pulsar-desk-proxy.1.gz"

# --- Validators ---------------------------------------------------------------------------------------------------
# lintian: every tag is shown; any error fails the test. Overrides, when needed, are installed in the package
# (usr/share/lintian/overrides/pulsar-desk, each with the reason) so that they are visible, never hidden here.
if lintian_output=$(lintian --tag-display-limit 0 --fail-on none "$deb" 2>&1); then
    if [ -n "$lintian_output" ]; then printf 'lintian:\n%s\n' "$lintian_output"; else echo "lintian: no tags"; fi
    errors=$(grep -c '^E:' <<<"$lintian_output" || true)
    [ "$errors" -eq 0 ] && pass "lintian reports no errors" || fail "lintian reports $errors error(s)"
else
    fail "lintian did not run: $lintian_output"
fi

if [ "$with_app" = 1 ]; then
    if appstream_output=$(appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml" 2>&1); then
        pass "appstreamcli validate"
    else
        fail "appstreamcli validate: $appstream_output"
    fi
    # The tree as a whole: the metainfo's launchable and icon resolve to files in the package.
    if appstream_output=$(appstreamcli validate-tree --no-net "$root" 2>&1); then
        pass "appstreamcli validate-tree"
    else
        fail "appstreamcli validate-tree: $appstream_output"
    fi
    if command -v desktop-file-validate >/dev/null; then
        # Hints (two main categories: Development and Network, as intended) are shown; errors fail.
        if desktop_output=$(desktop-file-validate "$root/usr/share/applications/$app_id.desktop" 2>&1); then
            [ -z "$desktop_output" ] || echo "$desktop_output"
            pass "desktop-file-validate"
        else
            fail "desktop-file-validate: $desktop_output"
        fi
    else
        echo "desktop-file-validate is not installed (desktop-file-utils): only lintian checked the desktop entry"
    fi
fi

# The sources' copy is what the package was built from (guards against a stale build tree).
cmp -s "$source_dir/installer/debian/copyright" "$root/usr/share/doc/pulsar-desk/copyright" &&
    pass "copyright matches the sources" || fail "the packaged copyright differs from installer/debian/copyright"

if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all package checks passed"

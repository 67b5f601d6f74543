#!/usr/bin/env bash
# Builds and runs the whole test suite: formatting check, warnings-as-errors build and every ctest label,
# the ASan+UBSan build of the same tests, and a short bounded run of each libFuzzer target.
# Environment: PDESK_FUZZ_SECONDS (default 20 per target), PDESK_SKIP_ASAN=1, PDESK_SKIP_FUZZ=1.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
fuzz_seconds=${PDESK_FUZZ_SECONDS:-20}

step() { printf '\n==== %s ====\n' "$*"; }

step "clang-format (dry run)"
mapfile -t sources < <(git ls-files '*.cpp' '*.h')
if [ "${#sources[@]}" -gt 0 ]; then
    clang-format --dry-run --Werror "${sources[@]}"
fi
echo "formatting ok (${#sources[@]} files)"

if [ "${PDESK_SKIP_FUZZ:-0}" != 1 ]; then
    step "libFuzzer targets (${fuzz_seconds}s each)"
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz -j "$jobs" --target fuzzers
    for target in build/fuzz/tests/fuzz/fuzz_*; do
        # Only the executables: AUTOMOC leaves fuzz_*_autogen directories beside them.
        [ -f "$target" ] && [ -x "$target" ] || continue
        name=$(basename "$target")
        corpus=$(mktemp -d)
        seeds="tests/fuzz/corpus/${name#fuzz_}"
        [ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/
        echo "-- $name"
        status=0
        "$target" -max_total_time="$fuzz_seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
            "$corpus" >"$corpus.log" 2>&1 || status=$?
        grep -E '^(stat::number_of_executed_units|Done|==|SUMMARY|INFO: -max_total_time)' "$corpus.log" || true
        if [ "$status" -ne 0 ]; then
            echo "$name failed (exit $status); the end of its output:"
            tail -n 60 "$corpus.log"
            exit 1
        fi
        rm -rf "$corpus" "$corpus.log"
    done
fi

if [ "${PDESK_SKIP_ASAN:-0}" != 1 ]; then
    step "ASan + UBSan build and tests"
    cmake --preset asan >/dev/null
    cmake --build --preset asan -j "$jobs"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
        ctest --preset asan -j "$jobs" --label-exclude bench
fi

step "Warnings-as-errors build and full test suite"
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"

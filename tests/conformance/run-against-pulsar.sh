#!/usr/bin/env bash
# Runs Qt Test suites against real Apache Pulsar standalone, fetched and started by scripts/pulsar-standalone.sh:
# first without authentication, then (when RUNS says so) with token authentication for the auth* cases.
#   run-against-pulsar.sh <scripts/pulsar-standalone.sh> plain|plain,auth <test binary>...
# The conformance suite runs plain,auth; the client library's and the admin client's suites run plain (their
# auth cases configure the bundled proxy and skip themselves against another target).
# When Pulsar cannot be fetched or started, or the time budget runs out, it prints exactly one line
# "SKIPPED: real Apache Pulsar unavailable: <reason>" and exits 0 (ctest shows the test as skipped).
# PDESK_PULSAR_BUDGET: seconds for the whole run, fetch included (default 600).
# PDESK_CONFORMANCE_RESULTS=<dir>: also write JUnit XML results there (for docs/conformance.md).
set -euo pipefail

usage() { echo "usage: $0 <pulsar-standalone.sh> plain|plain,auth <test binary>..." >&2; exit 2; }
[ $# -ge 3 ] || usage
standalone=$1
runs=$2
shift 2
test_binaries=("$@")
case $runs in plain | plain,auth) ;; *) usage ;; esac
budget=${PDESK_PULSAR_BUDGET:-600}
deadline=$((SECONDS + budget))
# A state directory of our own, so a Pulsar that a developer runs by hand is never touched.
export PDESK_PULSAR_STATE
PDESK_PULSAR_STATE=$(mktemp -d "${TMPDIR:-/tmp}/pdesk-conformance-pulsar.XXXXXX")

# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
    "$standalone" stop >/dev/null 2>&1 || true
    "$standalone" stop --auth >/dev/null 2>&1 || true
    rm -rf "$PDESK_PULSAR_STATE"
}
trap cleanup EXIT

skip() {
    echo "SKIPPED: real Apache Pulsar unavailable: $*"
    exit 0
}

remaining() { echo $((deadline - SECONDS)); }

# start_pulsar [--auth]: starts Pulsar within the remaining budget and loads its env file.
start_pulsar() {
    local left log
    left=$(remaining)
    [ "$left" -gt 30 ] || skip "time budget of ${budget}s used up before Pulsar${*:+ $*} could start"
    log=$(mktemp "$PDESK_PULSAR_STATE/start.XXXXXX")
    if ! PDESK_PULSAR_START_TIMEOUT=$((left - 10)) PDESK_PULSAR_FETCH_TIMEOUT=$((left - 10)) \
        timeout "$left" "$standalone" start "$@" >"$log" 2>&1; then
        local reason
        reason=$(grep -E '^pulsar-standalone: ' "$log" | tail -n1 | sed 's/^pulsar-standalone: //')
        skip "${reason:-scripts/pulsar-standalone.sh start $* failed or exceeded the ${budget}s budget}"
    fi
    local mode=plain
    [ "${1:-}" = --auth ] && mode=auth
    set -a
    # shellcheck disable=SC1090
    . "$PDESK_PULSAR_STATE/$mode/env"
    set +a
    grep -E '^pulsar-standalone: (fetched|ready)' "$log" | tail -n2 || true
}

# run_suites TAG: every suite against the loaded target, bounded by the remaining budget.
run_suites() {
    local tag=$1 left binary status=0
    for binary in "${test_binaries[@]}"; do
        left=$(remaining)
        [ "$left" -gt 20 ] || skip "time budget of ${budget}s used up before the $tag run of $(basename "$binary")"
        local outputs=(-o "-,txt")
        if [ -n "${PDESK_CONFORMANCE_RESULTS:-}" ]; then
            mkdir -p "$PDESK_CONFORMANCE_RESULTS"
            # One suite keeps the names results-table.py reads; several get their own files.
            local suffix=
            [ "${#test_binaries[@]}" -gt 1 ] && suffix=-$(basename "$binary")
            outputs+=(-o "$PDESK_CONFORMANCE_RESULTS/pulsar-$tag$suffix.xml,junitxml")
        fi
        local rc=0
        timeout "$left" "$binary" "${outputs[@]}" || rc=$?
        [ "$rc" -eq 124 ] && skip "time budget of ${budget}s ran out during the $tag run of $(basename "$binary")"
        [ "$rc" -eq 0 ] || status=1
    done
    return "$status"
}

status=0
start_pulsar
echo "against $PDESK_TARGET_NAME at $PDESK_TARGET_WS"
run_suites plain || status=1
"$standalone" stop >/dev/null 2>&1 || true
unset PDESK_TARGET_WS PDESK_TARGET_HTTP

if [ "$runs" = plain,auth ]; then
    start_pulsar --auth
    echo "against $PDESK_TARGET_NAME with token authentication at $PDESK_TARGET_WS"
    run_suites auth || status=1
fi
exit $status

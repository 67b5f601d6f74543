#!/usr/bin/env bash
# The same publish and consume benchmark against Apache Pulsar standalone's WebSocket service and against
# pulsar-desk-proxy, in one run: pdesk_client_bench (core/client) is the client for every target, so only the
# server differs.
#
# Pulsar standalone acknowledges a publish once the entry is written to BookKeeper's journal without waiting for
# fsync (journalSyncData=false in the configuration scripts/pulsar-standalone.sh writes, as in Pulsar's own
# standalone.conf), so the matched comparison is the proxy with --sync none; --sync always (ack after fdatasync) is
# reported beside it.
#
# Each round runs, for every target in turn on a fresh topic:
#   throughput  produce N messages (100 B, at most 1000 in flight), then consume them from Earliest acking each;
#   latency     produce M messages one at a time (1 in flight): the unloaded publish-to-ack round trip.
# Before the rounds every target gets one unrecorded warm-up pass (Pulsar's JIT, the proxy's page cache).
#
#   bench/run-pulsar-bench.sh [--messages N] [--latency-messages M] [--rounds R] [--build DIR] [--keep-pulsar]
#
# Pulsar is started with scripts/pulsar-standalone.sh (fetched from Maven Central on first use) and stopped at the
# end unless it was already running or --keep-pulsar is given. Prints one table of medians; the raw RESULT lines are
# printed as they come.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=$root/build/ci
messages=100000
latency_messages=3000
rounds=3
keep_pulsar=0
while [ $# -gt 0 ]; do
    case $1 in
    --messages) messages=$2; shift 2 ;;
    --latency-messages) latency_messages=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --keep-pulsar) keep_pulsar=1; shift ;;
    *) echo "usage: $0 [--messages N] [--latency-messages M] [--rounds R] [--build DIR] [--keep-pulsar]" >&2; exit 2 ;;
    esac
done
bench=$build/bench/pdesk_client_bench
proxy=$build/app/pulsar-desk-proxy
standalone=$root/scripts/pulsar-standalone.sh
for f in "$bench" "$proxy"; do
    [ -x "$f" ] || { echo "missing $f: cmake --build --preset ci --target pdesk_client_bench pulsar-desk-proxy" >&2; exit 1; }
done

work=$(mktemp -d)
proxy_pids=()
stop_pulsar=0
cleanup() {
    for pid in "${proxy_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ "$stop_pulsar" = 1 ] && "$standalone" stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# Pulsar first: it takes a minute to start, and if it cannot run there is nothing to compare.
if "$standalone" status >/dev/null 2>&1; then
    echo "Apache Pulsar standalone already running: using it"
else
    "$standalone" start >"$work/pulsar-start.txt" || {
        echo "SKIPPED: Apache Pulsar standalone could not be started (scripts/pulsar-standalone.sh start exited $?)" >&2
        exit 3
    }
    [ "$keep_pulsar" = 1 ] || stop_pulsar=1
fi
pulsar_url=$("$standalone" status | sed -n 's/^ *ws:\/\/ *//p')
pulsar_version=$("$standalone" status | sed -n 's/^Apache Pulsar \([^ ]*\) .*/\1/p')
[ -n "$pulsar_url" ] || { echo "no ws:// URL from scripts/pulsar-standalone.sh status" >&2; exit 1; }

start_proxy() { # sync mode -> prints the proxy's ws:// URL
    local sync=$1
    mkfifo "$work/url-$sync"
    "$proxy" --port 0 --sync "$sync" --data-dir "$work/data-$sync" --log-level warning >"$work/url-$sync" &
    proxy_pids+=($!)
    local url
    read -r url <"$work/url-$sync"
    echo "$url"
}
declare -A url
url[pulsar]=$pulsar_url
url[none]=$(start_proxy none)
url[always]=$(start_proxy always)
targets=(pulsar none always)

echo "Apache Pulsar $pulsar_version at ${url[pulsar]}; pulsar-desk-proxy --sync none at ${url[none]}, --sync always at ${url[always]}"
echo "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ); $messages messages per throughput run," \
    "$latency_messages per latency run, $rounds rounds"

run() { # target round kind -> RESULT lines, labelled with the target and the kind of run
    local target=$1 round=$2 kind=$3 count=$messages window=1000
    if [ "$kind" = latency ]; then count=$latency_messages; window=1; fi
    local topic=pb-$target-$kind-$round-$RANDOM$RANDOM
    "$bench" --url "${url[$target]}" --messages "$count" --window "$window" --warmup 0 --topic "$topic" \
        --label "$target/$kind" 2>"$work/err" | grep '^RESULT' ||
        { echo "pdesk_client_bench failed against $target ($kind):" >&2; cat "$work/err" >&2; exit 1; }
}

for target in "${targets[@]}"; do
    run "$target" 0 throughput >/dev/null
done
: >"$work/results"
for round in $(seq 1 "$rounds"); do
    for target in "${targets[@]}"; do
        run "$target" "$round" throughput | tee -a "$work/results"
        run "$target" "$round" latency | grep 'phase=produce' | tee -a "$work/results"
    done
done
echo "load at end $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work/results" "$pulsar_version" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    f = dict(kv.split('=', 1) for kv in line.split()[1:])
    target, kind = f['label'].split('/')
    rows.setdefault((target, kind, f['phase']), []).append(f)
def med(target, kind, phase, field):
    return statistics.median(float(r[field]) for r in rows[(target, kind, phase)])
names = {'pulsar': 'Apache Pulsar %s standalone' % sys.argv[2], 'none': 'pulsar-desk-proxy `--sync none`',
         'always': 'pulsar-desk-proxy `--sync always`'}
print('| server | produce msg/s | ack p50 ms | ack p99 ms | consume msg/s | 1 in flight: ack p50 ms | p99 ms |')
print('|---|---|---|---|---|---|---|')
for t in ('pulsar', 'none', 'always'):
    print('| %s | %s | %.3f | %.3f | %s | %.3f | %.3f |' % (
        names[t], format(round(med(t, 'throughput', 'produce', 'rate')), ','),
        med(t, 'throughput', 'produce', 'p50_ms'), med(t, 'throughput', 'produce', 'p99_ms'),
        format(round(med(t, 'throughput', 'consume', 'rate')), ','),
        med(t, 'latency', 'produce', 'p50_ms'), med(t, 'latency', 'produce', 'p99_ms')))
for t in ('none', 'always'):
    print('--sync %s vs Pulsar: produce %.2fx, consume %.2fx, p99 under load %.2fx, p99 at 1 in flight %.2fx '
          '(throughput: higher is better; p99: lower is better)' % (
        t, med(t, 'throughput', 'produce', 'rate') / med('pulsar', 'throughput', 'produce', 'rate'),
        med(t, 'throughput', 'consume', 'rate') / med('pulsar', 'throughput', 'consume', 'rate'),
        med(t, 'throughput', 'produce', 'p99_ms') / med('pulsar', 'throughput', 'produce', 'p99_ms'),
        med(t, 'latency', 'produce', 'p99_ms') / med('pulsar', 'latency', 'produce', 'p99_ms')))
PY

#!/usr/bin/env bash
# Client library vs Node's ws vs Python's websocket-client, side by side against ONE pulsar-desk-proxy
# (--port 0 --sync none): each client produces N messages (100 B, 1000 in flight) then consumes them from Earliest,
# acking each; 3 rounds, the clients interleaved, each run on fresh topics. Prints the median msgs/s per client
# and the ratio ours / best other.
#
#   bench/run-client-bench.sh [--messages N] [--rounds R] [--build DIR]
#   bench/run-client-bench.sh --callgrind [--messages N]   instructions per message of pdesk_client_bench
#                                                          (the proxy runs natively, only the client under valgrind)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$here/../build/ci
messages=100000
rounds=3
callgrind=0
while [ $# -gt 0 ]; do
    case $1 in
    --messages) messages=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --callgrind) callgrind=1; shift ;;
    *) echo "usage: $0 [--messages N] [--rounds R] [--build DIR] [--callgrind]" >&2; exit 2 ;;
    esac
done
bench=$build/bench/pdesk_client_bench
proxy=$build/app/pulsar-desk-proxy
python=/usr/bin/python3 # Debian's, which has python3-websocket
for f in "$bench" "$proxy"; do [ -x "$f" ] || { echo "missing $f: build pdesk_client_bench first" >&2; exit 1; }; done

work=$(mktemp -d)
proxy_pid=
cleanup() {
    if [ -n "$proxy_pid" ]; then kill "$proxy_pid" 2>/dev/null || true; wait "$proxy_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
mkfifo "$work/url"
"$proxy" --port 0 --sync none --data-dir "$work/data" --log-level warning >"$work/url" &
proxy_pid=$!
read -r url <"$work/url"
echo "proxy $url (--sync none), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

if [ "$callgrind" = 1 ]; then
    [ "$messages" = 100000 ] && messages=20000
    (cd "$work" && valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.out" \
        "$bench" --url "$url" --messages "$messages" --warmup 2000 >"$work/cg.txt" 2>"$work/cg.err") ||
        { cat "$work/cg.err" >&2; exit 1; }
    grep '^RESULT' "$work/cg.txt"
    for part in "$work"/cg.out.*; do
        name=$(sed -n 's/^desc: Trigger: Client Request: //p' "$part")
        ir=$(sed -n 's/^summary: //p;s/^totals: //p' "$part" | head -n1 | cut -d' ' -f1)
        printf '%-8s Ir %14s  => %8.0f instructions/message (N=%s)\n' "$name" "$ir" "$(awk -v a="$ir" -v b="$messages" 'BEGIN { print a / b }')" "$messages"
        cp "$part" "/tmp/pdesk-client-bench.callgrind.$name"
    done
    echo "profiles kept in /tmp/pdesk-client-bench.callgrind.{produce,consume} (callgrind_annotate them)"
    exit 0
fi

: >"$work/results"
for round in $(seq 1 "$rounds"); do
    "$bench" --url "$url" --messages "$messages" --topic "cb-pdesk-$round-$RANDOM" 2>/dev/null | grep '^RESULT' | tee -a "$work/results"
    node "$here/client/ws_bench.js" --url "$url" --messages "$messages" --topic "cb-node-$round-$RANDOM" | tee -a "$work/results"
    "$python" "$here/client/websocket_client_bench.py" --url "$url" --messages "$messages" \
        --topic "cb-py-$round-$RANDOM" | tee -a "$work/results"
done
echo "load at end $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/results" <<'PY'
import statistics, sys
rates = {}
for line in open(sys.argv[1]):
    f = dict(kv.split('=', 1) for kv in line.split()[1:])
    rates.setdefault((f['client'], f['phase']), []).append(int(f['rate']))
print('| client | produce msgs/s (median) | consume msgs/s (median) |')
print('|---|---|---|')
med = {k: statistics.median(v) for k, v in rates.items()}
for c in ('pdesk', 'node-ws', 'websocket-client'):
    print('| %s | %s | %s |' % (c, format(round(med[(c, 'produce')]), ','), format(round(med[(c, 'consume')]), ',')))
for p in ('produce', 'consume'):
    best = max(med[('node-ws', p)], med[('websocket-client', p)])
    print('%s: ours / best other = %.2fx (goal 3x: %s)' % (p, med[('pdesk', p)] / best,
          'met' if med[('pdesk', p)] >= 3 * best else 'not met'))
PY

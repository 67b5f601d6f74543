#!/usr/bin/env bash
# Runs the conformance suite against pulsar-desk-proxy started as a real process: one on port 0 without
# authentication, then one with --auth-config (HS256 token authentication and authorization) for the auth* cases.
#   run-against-proxy.sh <tst_conformance> <pulsar-desk-proxy>
# PDESK_CONFORMANCE_RESULTS=<dir>: also write JUnit XML results there (for docs/conformance.md).
set -euo pipefail

test_binary=$1
proxy_binary=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/pdesk-conformance-proxy.XXXXXX")
pids=()

# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# start_proxy NAME ARGS...: starts the proxy on port 0 and sets $url from the first line it prints.
start_proxy() {
    local name=$1
    shift
    mkdir -p "$work/$name/data"
    "$proxy_binary" --port 0 --data-dir "$work/$name/data" --no-auto-create-namespaces --log-level warning "$@" \
        >"$work/$name/stdout" 2>"$work/$name/stderr" &
    pids+=($!)
    local pid=$! waited=0
    url=""
    while [ $waited -lt 150 ]; do
        url=$(head -n1 "$work/$name/stdout" 2>/dev/null || true)
        [ -n "$url" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
        waited=$((waited + 1))
    done
    if [ -z "$url" ]; then
        echo "conformance: pulsar-desk-proxy ($name) did not start:" >&2
        cat "$work/$name/stderr" >&2
        exit 1
    fi
}

# run_suite TAG: runs the suite against the target in the PDESK_TARGET_* environment.
run_suite() {
    local tag=$1
    local outputs=(-o "-,txt")
    if [ -n "${PDESK_CONFORMANCE_RESULTS:-}" ]; then
        mkdir -p "$PDESK_CONFORMANCE_RESULTS"
        outputs+=(-o "$PDESK_CONFORMANCE_RESULTS/proxy-$tag.xml,junitxml")
    fi
    "$test_binary" "${outputs[@]}"
}

status=0

start_proxy plain
echo "conformance: pulsar-desk-proxy at $url"
PDESK_TARGET_WS=$url PDESK_TARGET_HTTP=http${url#ws} PDESK_TARGET_NAME=pulsar-desk-proxy \
    run_suite plain || status=1

# Token authentication: an HS256 secret and tokens minted here with the standard library only (no PyJWT), in
# the shape Pulsar's `bin/pulsar tokens create` makes ({"alg":"HS256"} / {"sub":"<role>"}).
mkdir -p "$work/auth"
python3 - "$work/auth" <<'PY'
import base64, hashlib, hmac, json, os, sys
d = sys.argv[1]
secret = os.urandom(32)
open(os.path.join(d, "secret.key"), "wb").write(secret)
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
for role in ("admin", "writer", "nobody"):
    head = b64(json.dumps({"alg": "HS256"}, separators=(",", ":")).encode())
    body = b64(json.dumps({"sub": role}, separators=(",", ":")).encode())
    sig = b64(hmac.new(secret, (head + "." + body).encode(), hashlib.sha256).digest())
    open(os.path.join(d, role + ".token"), "w").write(head + "." + body + "." + sig)
json.dump({
    "authenticationEnabled": True, "authorizationEnabled": True,
    "tokenSecretKey": "file://" + os.path.join(d, "secret.key"),
    "superUserRoles": ["admin"],
    "grants": {"namespaces": {"public/default": {"writer": ["produce", "consume"]}}},
}, open(os.path.join(d, "auth.json"), "w"), indent=1)
PY
start_proxy auth --auth-config "$work/auth/auth.json"
echo "conformance: pulsar-desk-proxy with token authentication at $url"
PDESK_TARGET_WS=$url PDESK_TARGET_HTTP=http${url#ws} PDESK_TARGET_NAME=pulsar-desk-proxy \
    PDESK_TARGET_TOKEN_ADMIN=$(cat "$work/auth/admin.token") \
    PDESK_TARGET_TOKEN_WRITER=$(cat "$work/auth/writer.token") \
    PDESK_TARGET_TOKEN_NOBODY=$(cat "$work/auth/nobody.token") \
    run_suite auth || status=1

exit $status

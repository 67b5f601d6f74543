#!/usr/bin/env bash
# Fetches, configures and runs real Apache Pulsar standalone on loopback, as the reference server that the
# conformance suite (tests/conformance) holds pulsar-desk-proxy to.
#
#   scripts/pulsar-standalone.sh start  [--auth]   fetch if needed, start in the background, wait until ready
#   scripts/pulsar-standalone.sh stop   [--auth]   shut it down cleanly (SIGTERM, then SIGKILL after a grace time)
#   scripts/pulsar-standalone.sh status [--auth]   say whether it runs, and where
#   scripts/pulsar-standalone.sh fetch             only fetch and unpack the distribution
#
# --auth runs a second, independent instance with JWT token authentication and authorization: an HS256 secret
# key, superuser role "admin", and tokens for the roles "admin", "writer" (produce+consume on public/default)
# and "nobody" (no grants). Both instances can run at once; each has its own state directory.
#
# After a successful start, <state>/env holds shell assignments for the conformance suite:
# PDESK_TARGET_WS, PDESK_TARGET_HTTP, PDESK_TARGET_NAME and, with --auth, PDESK_TARGET_TOKEN_{ADMIN,WRITER,NOBODY}.
#
# Exit codes: 0 ok; 1 usage or other error; 3 the distribution cannot be had (no Java, no mvn, fetch failed);
# 4 Pulsar did not start or did not become ready in time. The last line on stderr says why.
#
# Environment:
#   PDESK_PULSAR_CACHE          where distributions are kept (default ${XDG_CACHE_HOME:-~/.cache}/pulsar-desk)
#   PDESK_PULSAR_STATE          state directory root (default ${TMPDIR:-/tmp}/pulsar-desk-standalone-<uid>)
#   PDESK_PULSAR_FETCH_TIMEOUT  seconds allowed for the mvn fetch (default 600)
#   PDESK_PULSAR_START_TIMEOUT  seconds allowed from launch to ready (default 240)
#   PDESK_PULSAR_NO_INSTALL=1   never apt-get install Java or Maven
#   PULSAR_MEM                  JVM memory options (default -Xms512m -Xmx1g -XX:MaxDirectMemorySize=1g)
set -euo pipefail

# The one place the Pulsar version is pinned. Maven Central serves pulsar-server-distribution only for some
# releases; 4.0.8 is the newest 4.0.x LTS it serves (no 4.1.x tarball is published there).
PULSAR_VERSION=4.0.8

cache_root=${PDESK_PULSAR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulsar-desk}
dist_dir=$cache_root/pulsar-$PULSAR_VERSION
pulsar_home=$dist_dir/apache-pulsar-$PULSAR_VERSION
state_root=${PDESK_PULSAR_STATE:-${TMPDIR:-/tmp}/pulsar-desk-standalone-$(id -u)}
fetch_timeout=${PDESK_PULSAR_FETCH_TIMEOUT:-600}
start_timeout=${PDESK_PULSAR_START_TIMEOUT:-240}

say() { printf 'pulsar-standalone: %s\n' "$*" >&2; }
die() {
    local code=$1
    shift
    say "$*"
    exit "$code"
}

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit 1
}

# --- prerequisites -------------------------------------------------------------------------------------------

apt_install() {
    [ "${PDESK_PULSAR_NO_INSTALL:-0}" = 1 ] && return 1
    command -v apt-get >/dev/null 2>&1 || return 1
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
    say "installing $* with apt-get"
    "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

java_major() {
    # `java -version` prints e.g. openjdk version "17.0.15" 2025-04-15; old ones print "1.8.0_x".
    local v
    v=$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
    v=${v#1.}
    echo "${v%%[.+-]*}"
}

find_java() {
    local candidate
    for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null || true)" \
        /usr/lib/jvm/java-17-openjdk-*/bin/java /usr/lib/jvm/java-21-openjdk-*/bin/java; do
        if [ -z "$candidate" ] || [ ! -x "$candidate" ]; then continue; fi
        if [ "$(java_major "$candidate")" -ge 17 ] 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_java() {
    java_bin=$(find_java) && return 0
    apt_install openjdk-17-jre-headless || true
    java_bin=$(find_java) || die 3 "no Java 17+ found and it could not be installed (openjdk-17-jre-headless)"
}

ensure_mvn() {
    command -v mvn >/dev/null 2>&1 && return 0
    apt_install maven || true
    command -v mvn >/dev/null 2>&1 || die 3 "mvn not found and it could not be installed (maven)"
}

# --- fetch ---------------------------------------------------------------------------------------------------

fetch() {
    [ -x "$pulsar_home/bin/pulsar" ] && return 0
    ensure_java
    ensure_mvn
    mkdir -p "$dist_dir"
    local work
    work=$(mktemp -d "$dist_dir/.fetch.XXXXXX")
    # A private local repository keeps the 240 MB tarball out of ~/.m2 and goes away with the work dir.
    say "fetching org.apache.pulsar:pulsar-server-distribution:$PULSAR_VERSION:tar.gz:bin with mvn"
    local started=$SECONDS
    if ! timeout "$fetch_timeout" mvn -B -q -Dmaven.repo.local="$work/m2" \
        org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
        -Dartifact="org.apache.pulsar:pulsar-server-distribution:$PULSAR_VERSION:tar.gz:bin" \
        -DoutputDirectory="$work/out" >"$work/mvn.log" 2>&1; then
        local reason
        reason=$(grep -m1 -E '^\[ERROR\]' "$work/mvn.log" | cut -c1-300 || true)
        rm -rf "$work"
        die 3 "mvn could not fetch pulsar-server-distribution $PULSAR_VERSION (limit ${fetch_timeout}s): ${reason:-no error text; timed out?}"
    fi
    tar -xzf "$work/out/pulsar-server-distribution-$PULSAR_VERSION-bin.tar.gz" -C "$work" ||
        { rm -rf "$work"; die 3 "cannot unpack the Pulsar distribution"; }
    # Rename into place last, so an interrupted fetch never leaves a half-unpacked tree that looks complete.
    rm -rf "$pulsar_home"
    mv "$work/apache-pulsar-$PULSAR_VERSION" "$pulsar_home"
    rm -rf "$work"
    say "fetched and unpacked in $((SECONDS - started))s into $pulsar_home"
}

# --- helpers -------------------------------------------------------------------------------------------------

free_ports() {
    # Bind port 0 n times at once so the ports differ; the tiny race before Pulsar binds them is acceptable
    # for a test helper on loopback.
    python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# http_get URL [TOKEN]: prints "<status> <body>", never fails.
http_call() {
    python3 - "$@" <<'EOF'
import sys, urllib.request, urllib.error
method, url = sys.argv[1], sys.argv[2]
token = sys.argv[3] if len(sys.argv) > 3 else ""
body = sys.argv[4].encode() if len(sys.argv) > 4 else None
req = urllib.request.Request(url, data=body, method=method)
if token:
    req.add_header("Authorization", "Bearer " + token)
if body is not None:
    req.add_header("Content-Type", "application/json")
try:
    with urllib.request.urlopen(req, timeout=10) as r:
        print(r.status, r.read().decode(errors="replace")[:200])
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode(errors="replace")[:200])
except Exception as e:
    print(0, e)
EOF
}

# ws_handshake HOST PORT PATH [TOKEN]: prints the HTTP status of a WebSocket upgrade.
ws_handshake() {
    python3 - "$@" <<'EOF'
import socket, sys
host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
token = sys.argv[4] if len(sys.argv) > 4 else ""
req = ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" % (path, host, port))
if token:
    req += "Authorization: Bearer %s\r\n" % token
req += "\r\n"
try:
    s = socket.create_connection((host, port), timeout=30)
    s.sendall(req.encode())
    data = b""
    while b"\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    s.close()
    parts = data.split(b"\r\n", 1)[0].split()
    print(parts[1].decode() if len(parts) > 1 else 0)
except Exception:
    print(0)
EOF
}

state_dir_for() { echo "$state_root/$1"; }

running_pid() {
    local pidfile=$1/pulsar.pid pid
    [ -f "$pidfile" ] || return 1
    pid=$(cat "$pidfile")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

# --- start ---------------------------------------------------------------------------------------------------

write_config() {
    local conf=$1 web=$2 broker=$3
    {
        echo "# Written by scripts/pulsar-standalone.sh: Pulsar's own conf/standalone.conf first, then overrides."
        echo "# java.util.Properties keeps the last value of a repeated key, so the overrides below win."
        cat "$pulsar_home/conf/standalone.conf"
        cat <<EOF

# ---- pulsar-desk overrides ----
# Loopback only, on ports picked free at start.
bindAddress=127.0.0.1
advertisedAddress=127.0.0.1
webServicePort=$web
brokerServicePort=$broker
clusterName=standalone
# The service under test (the default is already true; said again so the intent is explicit).
webSocketServiceEnabled=true
functionsWorkerEnabled=false
# Topics created on first use, as in a stock standalone and as pulsar-desk-proxy does.
allowAutoTopicCreation=true
allowAutoTopicCreationType=non-partitioned
# Test topics are short-lived; leave them for the run's lifetime instead of racing deletion with the suite.
brokerDeleteInactiveTopicsEnabled=false
EOF
    } >"$conf"
}

write_auth_config() {
    local conf=$1 dir=$2
    cat >>"$conf" <<EOF

# ---- pulsar-desk token authentication and authorization ----
authenticationEnabled=true
authenticationProviders=org.apache.pulsar.broker.authentication.AuthenticationProviderToken
tokenSecretKey=file://$dir/secret.key
authorizationEnabled=true
superUserRoles=admin
# The broker's internal clients (and the embedded WebSocket service, which reads the same settings) talk to
# the broker as the superuser.
brokerClientAuthenticationPlugin=org.apache.pulsar.client.impl.auth.AuthenticationToken
brokerClientAuthenticationParameters=file://$dir/admin.token
EOF
}

make_tokens() {
    local dir=$1
    # Pulsar's own tools make the key and the tokens, so they are exactly what a real deployment would use.
    "$pulsar_home/bin/pulsar" tokens create-secret-key --output "$dir/secret.key" >/dev/null 2>&1 ||
        die 4 "bin/pulsar tokens create-secret-key failed"
    local role
    for role in admin writer nobody; do
        "$pulsar_home/bin/pulsar" tokens create --secret-key "file://$dir/secret.key" --subject "$role" \
            >"$dir/$role.token" 2>/dev/null || die 4 "bin/pulsar tokens create --subject $role failed"
        # The tool prints the token on one line; keep exactly that.
        tr -d '\r\n' <"$dir/$role.token" >"$dir/$role.token.tmp" && mv "$dir/$role.token.tmp" "$dir/$role.token"
    done
    chmod 600 "$dir"/*.token "$dir/secret.key"
}

start() {
    local mode=$1 dir pid
    dir=$(state_dir_for "$mode")
    if pid=$(running_pid "$dir"); then
        say "already running (pid $pid)"
        print_status "$dir"
        return 0
    fi
    fetch
    ensure_java
    command -v python3 >/dev/null 2>&1 || die 3 "python3 is needed for the readiness checks"

    rm -rf "$dir"
    mkdir -p "$dir/data" "$dir/logs"
    chmod 700 "$dir"
    local web broker bookie stream
    read -r web broker bookie stream < <(free_ports 4)
    write_config "$dir/standalone.conf" "$web" "$broker"
    local admin_token=""
    if [ "$mode" = auth ]; then
        make_tokens "$dir"
        write_auth_config "$dir/standalone.conf" "$dir"
        admin_token=$(cat "$dir/admin.token")
    fi

    local started=$SECONDS
    # JAVA_HOME makes bin/pulsar use the Java we checked rather than whatever is first on PATH.
    local java_home
    java_home=$(dirname "$(dirname "$(readlink -f "$java_bin")")")
    (
        cd "$dir"
        export JAVA_HOME=$java_home
        export PULSAR_STANDALONE_CONF=$dir/standalone.conf
        export PULSAR_LOG_DIR=$dir/logs
        export PULSAR_MEM=${PULSAR_MEM:--Xms512m -Xmx1g -XX:MaxDirectMemorySize=1g}
        # The embedded bookie takes no setting from standalone.conf and binds its RPC port on every interface;
        # BookKeeper reads system properties when asked to, and listeningInterface=lo keeps it on loopback.
        export PULSAR_EXTRA_OPTS="${PULSAR_EXTRA_OPTS:-} -Dorg.apache.bookkeeper.conf.readsystemproperties=true -DlisteningInterface=lo"
        exec setsid "$pulsar_home/bin/pulsar" standalone --no-functions-worker --no-stream-storage \
            --advertised-address 127.0.0.1 \
            --metadata-dir "$dir/data/metadata" --bookkeeper-dir "$dir/data/bookkeeper" \
            --bookkeeper-port "$bookie" --stream-storage-port "$stream" \
            </dev/null >"$dir/logs/stdout.log" 2>&1
    ) &
    echo $! >"$dir/pulsar.pid"
    pid=$(cat "$dir/pulsar.pid")

    # Ready means: the admin API answers health, and a WebSocket upgrade on a producer path succeeds (the
    # embedded WebSocket service starts after the admin API, and public/default must exist for the upgrade).
    local deadline=$((SECONDS + start_timeout)) health="" ws=""
    while [ $SECONDS -lt $deadline ]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            local why
            why=$(grep -m1 -E 'Exception|ERROR' "$dir/logs/stdout.log" "$dir"/logs/*.log 2>/dev/null | cut -c1-300 || true)
            rm -f "$dir/pulsar.pid"
            die 4 "Pulsar exited during start-up: ${why:-see $dir/logs}"
        fi
        health=$(http_call GET "http://127.0.0.1:$web/admin/v2/brokers/health" "$admin_token")
        if [ "${health%% *}" = 200 ]; then
            ws=$(ws_handshake 127.0.0.1 "$web" /ws/v2/producer/persistent/public/default/pdesk-ready-check \
                "$admin_token")
            [ "$ws" = 101 ] && break
        fi
        sleep 1
    done
    if [ "${health%% *}" != 200 ] || [ "$ws" != 101 ]; then
        stop_dir "$dir" >/dev/null 2>&1 || true
        die 4 "Pulsar not ready after ${start_timeout}s (health: ${health:-none}; ws upgrade: ${ws:-none}); logs in $dir/logs"
    fi

    if [ "$mode" = auth ]; then
        # The writer may produce and consume in public/default; nobody has a valid token and no grant.
        local grant
        grant=$(http_call POST "http://127.0.0.1:$web/admin/v2/namespaces/public/default/permissions/writer" \
            "$admin_token" '["produce","consume"]')
        [ "${grant%% *}" = 204 ] || { stop_dir "$dir" >/dev/null 2>&1 || true; die 4 "granting writer failed: $grant"; }
    fi

    {
        echo "PDESK_TARGET_WS=ws://127.0.0.1:$web"
        echo "PDESK_TARGET_HTTP=http://127.0.0.1:$web"
        echo "PDESK_TARGET_NAME=apache-pulsar-$PULSAR_VERSION"
        echo "PDESK_PULSAR_BROKER_URL=pulsar://127.0.0.1:$broker"
        if [ "$mode" = auth ]; then
            echo "PDESK_TARGET_TOKEN_ADMIN=$(cat "$dir/admin.token")"
            echo "PDESK_TARGET_TOKEN_WRITER=$(cat "$dir/writer.token")"
            echo "PDESK_TARGET_TOKEN_NOBODY=$(cat "$dir/nobody.token")"
        fi
    } >"$dir/env"
    chmod 600 "$dir/env"
    say "ready in $((SECONDS - started))s (pid $pid)"
    print_status "$dir"
}

print_status() {
    local dir=$1 web
    web=$(sed -n 's/^PDESK_TARGET_HTTP=//p' "$dir/env" 2>/dev/null || true)
    if [ -z "$web" ]; then
        echo "starting (pid $(cat "$dir/pulsar.pid" 2>/dev/null)); no URLs yet"
        return 0
    fi
    echo "Apache Pulsar $PULSAR_VERSION standalone (pid $(cat "$dir/pulsar.pid"))"
    echo "  ws://   $(sed -n 's/^PDESK_TARGET_WS=//p' "$dir/env")"
    echo "  http:// $web"
    echo "  binary  $(sed -n 's/^PDESK_PULSAR_BROKER_URL=//p' "$dir/env")"
    echo "  env     $dir/env"
    if [ -f "$dir/admin.token" ]; then
        echo "  tokens  $dir/{admin,writer,nobody}.token (superuser: admin; writer: produce+consume on public/default)"
    fi
    echo "  logs    $dir/logs"
}

# --- stop / status -------------------------------------------------------------------------------------------

stop_dir() {
    local dir=$1 pid
    if ! pid=$(running_pid "$dir"); then
        rm -f "$dir/pulsar.pid"
        echo "not running"
        return 0
    fi
    # setsid made Pulsar the leader of its own process group; signal that group, which is only Pulsar's JVM.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
        say "no clean exit after 60s; sending SIGKILL to $pid"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pulsar.pid" "$dir/env"
    echo "stopped"
}

status() {
    local dir pid
    dir=$(state_dir_for "$1")
    if pid=$(running_pid "$dir"); then
        print_status "$dir"
        return 0
    fi
    echo "not running"
    return 3
}

# --- main ----------------------------------------------------------------------------------------------------

[ $# -ge 1 ] || usage
command=$1
shift
mode=plain
for arg in "$@"; do
    case $arg in
    --auth) mode=auth ;;
    *) usage ;;
    esac
done

case $command in
start) start "$mode" ;;
stop) stop_dir "$(state_dir_for "$mode")" ;;
status) status "$mode" ;;
fetch) fetch && echo "$pulsar_home" ;;
-h | --help | help) usage ;;
*) usage ;;
esac

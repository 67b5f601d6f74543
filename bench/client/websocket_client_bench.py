#!/usr/bin/env python3
"""The work of pdesk_client_bench done with Python's websocket-client.

websocket-client (Debian's python3-websocket, the library Pulsar's docs use for
Python) is synchronous, so its best pipelined form is one thread that keeps
WINDOW sends unacked: send until the window is full, then for every ack read,
send one more. The consumer reads each message, decodes its payload and acks
it. Payloads are base64-encoded and frames JSON-encoded per message, as
pdesk_client_bench and ws_bench.js do. UTF-8 validation of incoming frames is
skipped (skip_utf8_validation), the library's own speed option. Prints the
same RESULT lines as pdesk_client_bench.

    python3 bench/client/websocket_client_bench.py --url ws://127.0.0.1:PORT \\
        [--messages N] [--payload BYTES] [--window N] [--warmup N] [--topic NAME]
"""

import argparse
import base64
import json
import random
import string
import sys
import time

import websocket


def fail(message):
    print('websocket_client_bench: ' + message, file=sys.stderr)
    sys.exit(1)


def percentiles(ns):
    if not ns:
        return 0.0, 0.0, 0.0
    ns = sorted(ns)

    def at(q):
        return ns[min(len(ns) - 1, int(q * len(ns)))] / 1e6

    return at(0.5), at(0.99), ns[-1] / 1e6


def connect(url):
    try:
        return websocket.create_connection(url, timeout=60,
                                           skip_utf8_validation=True)
    except (OSError, websocket.WebSocketException) as error:
        fail('cannot connect to %s: %s' % (url, error))


def produce(base, topic, count, window, payload):
    ws = connect('%s/ws/v2/producer/persistent/public/default/%s'
                 % (base, topic))
    sent_at = [0] * count
    latency = []
    sent = 0
    acked = 0
    now = time.perf_counter_ns
    t0 = now()
    last = t0
    while acked < count:
        while sent < count and sent - acked < window:
            sent_at[sent] = now()
            ws.send(json.dumps({
                'payload': base64.b64encode(payload).decode('ascii'),
                'context': str(sent)}))
            sent += 1
        raw = ws.recv()
        at = now()
        ack = json.loads(raw)
        if ack.get('result') != 'ok':
            fail('send failed: %s' % raw)
        latency.append(at - sent_at[int(ack['context'])])
        acked += 1
        last = at
    ws.close()
    return count, (last - t0) / 1e9, percentiles(latency)


def consume(base, topic, count):
    subscription = 'bench-' + ''.join(
        random.choice(string.ascii_lowercase) for _ in range(7))
    ws = connect('%s/ws/v2/consumer/persistent/public/default/%s/%s'
                 '?subscriptionInitialPosition=Earliest'
                 % (base, topic, subscription))
    now = time.perf_counter_ns
    t0 = now()
    received = 0
    decoded = 0
    while received < count:
        message = json.loads(ws.recv())
        if 'messageId' not in message:
            continue
        decoded += len(base64.b64decode(message['payload']))
        ws.send(json.dumps({'messageId': message['messageId']}))
        received += 1
    seconds = (now() - t0) / 1e9
    ws.close()
    return count, seconds, (0.0, 0.0, 0.0)


def result(label, phase, figures):
    count, seconds, (p50, p99, worst) = figures
    print('RESULT client=websocket-client%s phase=%s messages=%d seconds=%.4f '
          'rate=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f'
          % (' label=' + label if label else '', phase, count, seconds,
             round(count / seconds), p50, p99, worst), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--url', required=True)
    parser.add_argument('--messages', type=int, default=100000)
    parser.add_argument('--payload', type=int, default=100)
    parser.add_argument('--window', type=int, default=1000)
    parser.add_argument('--warmup', type=int, default=5000)
    parser.add_argument('--topic', default='client-bench-py-' + ''.join(
        random.choice(string.ascii_lowercase) for _ in range(7)))
    parser.add_argument('--label', default='')
    args = parser.parse_args()
    base = args.url.rstrip('/')
    payload = b'x' * args.payload
    if args.warmup > 0:
        produce(base, args.topic + '-warmup', args.warmup, args.window,
                payload)
        consume(base, args.topic + '-warmup', args.warmup)
    result(args.label, 'produce',
           produce(base, args.topic, args.messages, args.window, payload))
    result(args.label, 'consume', consume(base, args.topic, args.messages))


if __name__ == '__main__':
    main()

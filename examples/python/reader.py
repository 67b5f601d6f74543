#!/usr/bin/env python3
"""Pulsar WebSocket API reader, as in Pulsar's docs ("Python reader").

Reads the topic from a position (latest by default, like Pulsar; or earliest,
or after a message id) until it has COUNT messages. Each message is
"acknowledged" as the docs do, which for a reader only frees a slot of the
server's push window. Prints each message as one JSON line on stdout: the
frame's fields, with "payload" decoded as UTF-8 text and the original base64
in "payloadBase64". Progress goes to stderr. Exits 0 after COUNT messages, 1 on
a refused or closed connection or the timeout, 2 on bad arguments.

    python3 reader.py --url ws://localhost:8080 --topic my-topic \\
        --message-id earliest --count 10

Every option also comes from the environment: PULSAR_WS_URL, PULSAR_TOPIC,
PULSAR_COUNT, PULSAR_TIMEOUT, PULSAR_TOKEN.
"""

import argparse
import base64
import json
import os
import sys
import time
from urllib.parse import quote, urlencode

import websocket


def topic_path(topic):
    """'persistent://t/ns/x', 't/ns/x' or 'x' -> 'persistent/t/ns/x'."""
    domain, _, rest = topic.rpartition('://')
    parts = rest.split('/')
    if len(parts) == 1:
        parts = ['public', 'default'] + parts
    if len(parts) != 3 or not all(parts):
        raise ValueError('expected persistent://tenant/namespace/topic, '
                         'tenant/namespace/topic or topic, got %r' % topic)
    quoted = [quote(part, safe='') for part in parts]
    return '/'.join([domain or 'persistent'] + quoted)


def parse_args():
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--url',
                        default=env('PULSAR_WS_URL', 'ws://localhost:8080'),
                        help='service URL (default ws://localhost:8080)')
    parser.add_argument('--topic', default=env('PULSAR_TOPIC', 'my-topic'),
                        help='topic (default my-topic, that is '
                             'persistent://public/default/my-topic)')
    parser.add_argument('--count', type=int,
                        default=int(env('PULSAR_COUNT', '1')),
                        help='messages to read before leaving (default 1)')
    parser.add_argument('--timeout', type=float,
                        default=float(env('PULSAR_TIMEOUT', '30')),
                        help='seconds for the whole run (default 30)')
    parser.add_argument('--message-id',
                        help='messageId query parameter: earliest, latest or '
                             'a base64 message id (Pulsar defaults to '
                             'latest)')
    parser.add_argument('--token', default=env('PULSAR_TOKEN'),
                        help='JWT sent as Authorization: Bearer')
    args = parser.parse_args()
    if args.count < 1 or args.timeout <= 0:
        parser.error('--count and --timeout must be positive')
    try:
        args.path = topic_path(args.topic)
    except ValueError as error:
        parser.error(str(error))
    return args


def fail(message):
    print('reader: ' + message, file=sys.stderr)
    sys.exit(1)


def main():
    args = parse_args()
    url = '%s/ws/v2/reader/%s' % (args.url.rstrip('/'), args.path)
    if args.message_id:
        url += '?' + urlencode({'messageId': args.message_id})
    header = ['Authorization: Bearer ' + args.token] if args.token else []
    deadline = time.monotonic() + args.timeout

    try:
        ws = websocket.create_connection(url, timeout=args.timeout,
                                         header=header)
    except websocket.WebSocketBadStatusException as error:
        fail('connection refused by the server: %s' % error)
    except (OSError, websocket.WebSocketException) as error:
        fail('cannot connect to %s: %s' % (url, error))
    print('reader: connected to ' + url, file=sys.stderr, flush=True)

    received = 0
    try:
        while received < args.count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise websocket.WebSocketTimeoutException()
            ws.settimeout(remaining)
            raw = ws.recv()
            if not raw:
                fail('connection closed by the server after %d of %d '
                     'messages' % (received, args.count))
            msg = json.loads(raw)
            if 'messageId' not in msg:
                continue  # e.g. an {"endOfTopic": ...} answer

            payload = base64.b64decode(msg['payload'], validate=True)
            line = dict(msg,
                        payload=payload.decode('UTF-8', errors='replace'),
                        payloadBase64=msg['payload'])
            print(json.dumps(line, separators=(',', ':')), flush=True)
            received += 1

            # Acknowledge successful processing
            ws.send(json.dumps({'messageId': msg['messageId']}))
    except websocket.WebSocketTimeoutException:
        fail('timed out after %d of %d messages (%.1f s)'
             % (received, args.count, args.timeout))
    except websocket.WebSocketConnectionClosedException:
        fail('connection closed by the server after %d of %d messages'
             % (received, args.count))
    except (OSError, ValueError, KeyError) as error:
        fail('bad frame or connection error: %r' % error)

    ws.close()
    print('reader: read %d messages' % received, file=sys.stderr)


if __name__ == '__main__':
    main()

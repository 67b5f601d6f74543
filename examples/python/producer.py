#!/usr/bin/env python3
"""Pulsar WebSocket API producer, as in Pulsar's docs ("Python producer").

Sends COUNT messages, one at a time, each as the docs' JSON frame (base64
payload, properties, context), and waits for its ack. Prints every ack as one
JSON line on stdout; progress goes to stderr. Exits 0 when every message was
acked "ok", 1 on a failed ack, a refused or closed connection or the timeout,
2 on bad arguments.

    python3 producer.py --url ws://localhost:8080 --topic my-topic --count 10

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
                        help='messages to send (default 1)')
    parser.add_argument('--timeout', type=float,
                        default=float(env('PULSAR_TIMEOUT', '30')),
                        help='seconds for the whole run (default 30)')
    parser.add_argument('--payload', default='Hello World',
                        help='payload text; "{i}" becomes the message '
                             'number (default "Hello World")')
    parser.add_argument('--key',
                        help='message key; "{i}" becomes the message number')
    parser.add_argument('--property', action='append', default=[],
                        metavar='NAME=VALUE',
                        help="a message property, repeatable (default the "
                             "docs' key1=value1 and key2=value2)")
    parser.add_argument('--producer-name',
                        help='producerName query parameter')
    parser.add_argument('--token', default=env('PULSAR_TOKEN'),
                        help='JWT sent as Authorization: Bearer')
    args = parser.parse_args()
    if args.count < 1 or args.timeout <= 0:
        parser.error('--count and --timeout must be positive')
    try:
        args.path = topic_path(args.topic)
    except ValueError as error:
        parser.error(str(error))
    properties = {}
    for item in args.property:
        name, sep, value = item.partition('=')
        if not sep or not name:
            parser.error('--property expects NAME=VALUE, got %r' % item)
        properties[name] = value
    args.properties = properties or {'key1': 'value1', 'key2': 'value2'}
    return args


def fail(message):
    print('producer: ' + message, file=sys.stderr)
    sys.exit(1)


def main():
    args = parse_args()
    url = '%s/ws/v2/producer/%s' % (args.url.rstrip('/'), args.path)
    if args.producer_name:
        url += '?' + urlencode({'producerName': args.producer_name})
    header = ['Authorization: Bearer ' + args.token] if args.token else []
    deadline = time.monotonic() + args.timeout

    try:
        ws = websocket.create_connection(url, timeout=args.timeout,
                                         header=header)
    except websocket.WebSocketBadStatusException as error:
        fail('connection refused by the server: %s' % error)
    except (OSError, websocket.WebSocketException) as error:
        fail('cannot connect to %s: %s' % (url, error))
    print('producer: connected to ' + url, file=sys.stderr, flush=True)

    try:
        for i in range(1, args.count + 1):
            # encode message
            text = args.payload.replace('{i}', str(i))
            payload = base64.b64encode(text.encode('UTF-8')).decode('UTF-8')
            message = {
                'payload': payload,
                'properties': args.properties,
                # A number, as in the docs: Pulsar echoes it as a string.
                'context': i,
            }
            if args.key is not None:
                message['key'] = args.key.replace('{i}', str(i))
            # Send one message as JSON
            ws.send(json.dumps(message))

            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise websocket.WebSocketTimeoutException()
            ws.settimeout(remaining)
            raw = ws.recv()
            if not raw:
                fail('connection closed by the server after %d of %d acks'
                     % (i - 1, args.count))
            response = json.loads(raw)
            print(json.dumps(response, separators=(',', ':')), flush=True)
            if response.get('result') != 'ok':
                fail('failed to publish message %d: %s' % (i, raw))
            if response.get('context') != str(i):
                fail('ack for message %d carries context %r'
                     % (i, response.get('context')))
    except websocket.WebSocketTimeoutException:
        fail('timed out waiting for an ack (%.1f s)' % args.timeout)
    except websocket.WebSocketConnectionClosedException:
        fail('connection closed by the server')
    except (OSError, ValueError) as error:
        fail('bad frame or connection error: %r' % error)

    ws.close()
    print('producer: %d messages published successfully' % args.count,
          file=sys.stderr)


if __name__ == '__main__':
    main()

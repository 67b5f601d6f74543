#!/usr/bin/env node
// Pulsar WebSocket API consumer, as in Pulsar's docs (client-libraries-websocket, "Node.js consumer").
//
// Subscribes, then acknowledges every message it receives until it has COUNT of them. Prints each message as
// one JSON line on stdout (the frame's fields, with "payload" decoded as UTF-8 text and the original base64 in
// "payloadBase64"); progress goes to stderr, "consumer: subscribed ..." once the subscription exists.
// Exits 0 after COUNT messages, 1 on a refused or closed connection or the timeout, 2 on bad arguments.
//
//   node consumer.js --url ws://localhost:8080 --topic my-topic --subscription my-sub --count 10
//
// Every option also comes from the environment: PULSAR_WS_URL, PULSAR_TOPIC, PULSAR_SUBSCRIPTION,
// PULSAR_COUNT, PULSAR_TIMEOUT, PULSAR_TOKEN.
'use strict';

const { parseArgs } = require('node:util');
const WebSocket = require('ws');

const USAGE = `usage: node consumer.js [--url URL] [--topic TOPIC] [--subscription NAME] [--count N]
                        [--timeout SECONDS] [--subscription-type Exclusive|Shared|Failover|Key_Shared]
                        [--initial-position Latest|Earliest] [--token JWT]`;

function usage(message) {
  console.error(`consumer: ${message}\n${USAGE}`);
  process.exit(2);
}

// 'persistent://t/ns/x', 't/ns/x' or 'x' -> 'persistent/t/ns/x' (the URL form).
function topicPath(topic) {
  const at = topic.lastIndexOf('://');
  const domain = at >= 0 ? topic.slice(0, at) : 'persistent';
  let parts = topic.slice(at >= 0 ? at + 3 : 0).split('/');
  if (parts.length === 1) parts = ['public', 'default', ...parts];
  if (parts.length !== 3 || parts.some((p) => !p)) {
    usage(`expected persistent://tenant/namespace/topic, tenant/namespace/topic or topic, got ${topic}`);
  }
  return [domain, ...parts.map(encodeURIComponent)].join('/');
}

function options() {
  const env = process.env;
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        url: { type: 'string', default: env.PULSAR_WS_URL || 'ws://localhost:8080' },
        topic: { type: 'string', default: env.PULSAR_TOPIC || 'my-topic' },
        subscription: { type: 'string', default: env.PULSAR_SUBSCRIPTION || 'my-sub' },
        count: { type: 'string', default: env.PULSAR_COUNT || '1' },
        timeout: { type: 'string', default: env.PULSAR_TIMEOUT || '30' },
        'subscription-type': { type: 'string' },
        'initial-position': { type: 'string' },
        token: { type: 'string', default: env.PULSAR_TOKEN },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    usage(error.message);
  }
  if (parsed.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const count = Number(parsed.count);
  const timeout = Number(parsed.timeout);
  if (!Number.isInteger(count) || count < 1 || !(timeout > 0)) usage('--count and --timeout must be positive');
  if (!parsed.subscription) usage('--subscription must not be empty');
  const type = parsed['subscription-type'];
  if (type !== undefined && !['Exclusive', 'Shared', 'Failover', 'Key_Shared'].includes(type)) {
    usage(`unknown --subscription-type ${type}`);
  }
  const position = parsed['initial-position'];
  if (position !== undefined && !['Latest', 'Earliest'].includes(position)) {
    usage(`unknown --initial-position ${position}`);
  }
  return { ...parsed, count, timeoutMs: timeout * 1000, path: topicPath(parsed.topic) };
}

function main() {
  const opts = options();
  const query = new URLSearchParams();
  if (opts['subscription-type']) query.set('subscriptionType', opts['subscription-type']);
  if (opts['initial-position']) query.set('subscriptionInitialPosition', opts['initial-position']);
  let topic = `${opts.url.replace(/\/+$/, '')}/ws/v2/consumer/${opts.path}/${encodeURIComponent(opts.subscription)}`;
  if (query.toString()) topic += `?${query}`;
  const headers = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};

  let received = 0;
  let done = false;
  const fail = (message) => {
    console.error(`consumer: ${message}`);
    process.exit(1);
  };
  const timer = setTimeout(() => {
    if (done) process.exit(0); // only the closing handshake was slow
    fail(`timed out after ${received} of ${opts.count} messages (${opts.timeoutMs / 1000} s)`);
  }, opts.timeoutMs);

  const ws = new WebSocket(topic, { headers });

  ws.on('open', () => {
    // The subscription exists once the handshake is done: a producer may start now.
    console.error(`consumer: subscribed ${topic}`);
  });

  ws.on('message', function (message) {
    if (done) return;
    let receiveMsg;
    try {
      receiveMsg = JSON.parse(message);
    } catch (error) {
      fail(`not JSON: ${message}`);
    }
    if (receiveMsg.messageId === undefined) return; // e.g. an {"endOfTopic": ...} answer, not a message
    const payload = Buffer.from(receiveMsg.payload, 'base64').toString();
    console.log(JSON.stringify({ ...receiveMsg, payload, payloadBase64: receiveMsg.payload }));
    received += 1;

    // Acknowledge successful processing
    const ackMsg = { messageId: receiveMsg.messageId };
    ws.send(JSON.stringify(ackMsg));
    if (received === opts.count) {
      done = true;
      ws.close(1000);
    }
  });

  ws.on('error', (error) => fail(`${topic}: ${error.message}`));

  ws.on('close', (code, reason) => {
    if (!done) {
      fail(`connection closed by the server (${code} ${reason}) after ${received} of ${opts.count} messages`);
    }
    clearTimeout(timer);
    console.error(`consumer: received and acknowledged ${received} messages`);
  });
}

main();

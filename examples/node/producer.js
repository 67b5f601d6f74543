#!/usr/bin/env node
// Pulsar WebSocket API producer, as in Pulsar's docs (client-libraries-websocket, "Node.js producer").
//
// Sends COUNT messages, one at a time, each as the docs' JSON frame (base64 payload, properties, context)
// and waits for its ack. Prints every ack as one JSON line on stdout; progress goes to stderr.
// Exits 0 when every message was acked "ok", 1 on a failed ack, a refused or closed connection or the
// timeout, 2 on bad arguments.
//
//   node producer.js --url ws://localhost:8080 --topic my-topic --count 10
//
// Every option also comes from the environment: PULSAR_WS_URL, PULSAR_TOPIC, PULSAR_COUNT, PULSAR_TIMEOUT,
// PULSAR_TOKEN.
'use strict';

const { parseArgs } = require('node:util');
const WebSocket = require('ws');

const USAGE = `usage: node producer.js [--url URL] [--topic TOPIC] [--count N] [--timeout SECONDS]
                        [--payload TEXT] [--key KEY] [--property NAME=VALUE ...]
                        [--producer-name NAME] [--token JWT]
"{i}" in --payload and --key becomes the message number.`;

function usage(message) {
  console.error(`producer: ${message}\n${USAGE}`);
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
        count: { type: 'string', default: env.PULSAR_COUNT || '1' },
        timeout: { type: 'string', default: env.PULSAR_TIMEOUT || '30' },
        payload: { type: 'string', default: 'Hello World' },
        key: { type: 'string' },
        property: { type: 'string', multiple: true, default: [] },
        'producer-name': { type: 'string' },
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
  const properties = {};
  for (const item of parsed.property) {
    const eq = item.indexOf('=');
    if (eq <= 0) usage(`--property expects NAME=VALUE, got ${item}`);
    properties[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return {
    ...parsed,
    count,
    timeoutMs: timeout * 1000,
    path: topicPath(parsed.topic),
    properties: parsed.property.length ? properties : { key1: 'value1', key2: 'value2' },
  };
}

function main() {
  const opts = options();
  let topic = `${opts.url.replace(/\/+$/, '')}/ws/v2/producer/${opts.path}`;
  if (opts['producer-name']) topic += `?${new URLSearchParams({ producerName: opts['producer-name'] })}`;
  const headers = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};

  let acked = 0;
  let done = false;
  const fail = (message) => {
    console.error(`producer: ${message}`);
    process.exit(1);
  };
  const timer = setTimeout(() => {
    if (done) process.exit(0); // only the closing handshake was slow
    fail(`timed out after ${acked} of ${opts.count} acks (${opts.timeoutMs / 1000} s)`);
  }, opts.timeoutMs);

  const ws = new WebSocket(topic, { headers });

  const sendMessage = (i) => {
    const message = {
      payload: Buffer.from(opts.payload.replaceAll('{i}', String(i))).toString('base64'),
      properties: opts.properties,
      context: String(i),
    };
    if (opts.key !== undefined) message.key = opts.key.replaceAll('{i}', String(i));
    ws.send(JSON.stringify(message));
  };

  ws.on('open', function () {
    console.error(`producer: connected to ${topic}`);
    // Send one message; the next goes out when its ack is in.
    sendMessage(1);
  });

  ws.on('message', function (message) {
    let ack;
    try {
      ack = JSON.parse(message);
    } catch (error) {
      fail(`not JSON: ${message}`);
    }
    console.log(JSON.stringify(ack));
    if (ack.result !== 'ok') fail(`failed to publish message ${acked + 1}: ${message}`);
    if (ack.context !== String(acked + 1)) fail(`ack for message ${acked + 1} carries context ${ack.context}`);
    acked += 1;
    if (acked < opts.count) {
      sendMessage(acked + 1);
      return;
    }
    done = true;
    ws.close(1000);
  });

  ws.on('error', (error) => fail(`${topic}: ${error.message}`));

  ws.on('close', (code, reason) => {
    if (!done) fail(`connection closed by the server (${code} ${reason}) after ${acked} of ${opts.count} acks`);
    clearTimeout(timer);
    console.error(`producer: ${acked} messages published successfully`);
  });
}

main();

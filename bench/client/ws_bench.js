#!/usr/bin/env node
// The work of pdesk_client_bench (bench/client_bench.cpp) done with Node's `ws`, the library Pulsar's docs use
// for Node: publish N messages with at most WINDOW unacked (a new send for every ack), then consume them from
// Earliest on a fresh subscription, acking each one as it arrives. Each payload is base64-encoded and each frame
// JSON-encoded per message, and each received frame JSON-parsed and its payload decoded, as a real client would.
// Prints the same RESULT lines as pdesk_client_bench. `ws` comes from examples/node/node_modules
// (scripts/install-deps.sh installs it there).
//
//   node bench/client/ws_bench.js --url ws://127.0.0.1:PORT [--messages N] [--payload BYTES] [--window N]
//                                 [--warmup N] [--topic NAME] [--label TEXT]
'use strict';

const path = require('node:path');
const { parseArgs } = require('node:util');
const WebSocket = require(require.resolve('ws', { paths: [path.join(__dirname, '..', '..', 'examples', 'node')] }));

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    messages: { type: 'string', default: '100000' },
    payload: { type: 'string', default: '100' },
    window: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '5000' },
    topic: { type: 'string', default: `client-bench-node-${Math.random().toString(36).slice(2, 9)}` },
    label: { type: 'string' },
  },
});
if (!args.url) {
  console.error('ws_bench: --url is required');
  process.exit(2);
}
const base = args.url.replace(/\/+$/, '');
const messages = Number(args.messages);
const window = Number(args.window);
const warmup = Number(args.warmup);
const payload = Buffer.alloc(Number(args.payload), 'x');
const now = () => process.hrtime.bigint();

function fail(message) {
  console.error(`ws_bench: ${message}`);
  process.exit(1);
}

function percentiles(ns) {
  if (ns.length === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(ns).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] / 1e6 };
}

function produce(topic, count) {
  return new Promise((resolve) => {
    // perMessageDeflate off: the proxy and Pulsar do not compress, and the offer alone costs a header.
    const ws = new WebSocket(`${base}/ws/v2/producer/persistent/public/default/${topic}`, { perMessageDeflate: false });
    const sentAt = new Array(count);
    const latency = [];
    let sent = 0;
    let acked = 0;
    let t0 = 0n;
    let lastAck = 0n;
    const pump = () => {
      while (sent < count && sent - acked < window) {
        sentAt[sent] = now();
        ws.send(JSON.stringify({ payload: payload.toString('base64'), context: String(sent) }));
        sent += 1;
      }
    };
    ws.on('open', () => {
      t0 = now();
      pump();
    });
    ws.on('message', (data) => {
      const at = now();
      const ack = JSON.parse(data);
      if (ack.result !== 'ok') fail(`send failed: ${data}`);
      const seq = Number(ack.context);
      latency.push(Number(at - sentAt[seq]));
      acked += 1;
      lastAck = at;
      if (acked === count) {
        ws.close(1000);
        resolve({ messages: count, seconds: Number(lastAck - t0) / 1e9, latency: percentiles(latency) });
        return;
      }
      pump();
    });
    ws.on('error', (error) => fail(`producer: ${error.message}`));
  });
}

function consume(topic, count) {
  return new Promise((resolve) => {
    const subscription = `bench-${Math.random().toString(36).slice(2, 9)}`;
    const ws = new WebSocket(
      `${base}/ws/v2/consumer/persistent/public/default/${topic}/${subscription}?subscriptionInitialPosition=Earliest`,
      { perMessageDeflate: false },
    );
    let received = 0;
    let t0 = 0n;
    let decoded = 0;
    ws.on('open', () => {
      t0 = now();
    });
    ws.on('message', (data) => {
      const message = JSON.parse(data);
      if (message.messageId === undefined) return;
      decoded += Buffer.from(message.payload, 'base64').length;
      ws.send(JSON.stringify({ messageId: message.messageId }));
      received += 1;
      if (received === count) {
        const seconds = Number(now() - t0) / 1e9;
        ws.close(1000);
        resolve({ messages: count, seconds, latency: percentiles([]), decoded });
      }
    });
    ws.on('error', (error) => fail(`consumer: ${error.message}`));
  });
}

function result(phase, f) {
  const label = args.label ? ` label=${args.label}` : '';
  console.log(
    `RESULT client=node-ws${label} phase=${phase} messages=${f.messages} seconds=${f.seconds.toFixed(4)} ` +
      `rate=${Math.round(f.messages / f.seconds)} p50_ms=${f.latency.p50.toFixed(3)} ` +
      `p99_ms=${f.latency.p99.toFixed(3)} max_ms=${f.latency.max.toFixed(3)}`,
  );
}

async function main() {
  if (warmup > 0) {
    await produce(`${args.topic}-warmup`, warmup);
    await consume(`${args.topic}-warmup`, warmup);
  }
  result('produce', await produce(args.topic, messages));
  result('consume', await consume(args.topic, messages));
  process.exit(0);
}

main();

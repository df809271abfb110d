// Issue 4 figures on the real Pub/Sub emulator and functions-framework, each beside its bare baseline from the same run:
//  1. round trip of a no-op question: a Child asks a Skein service served by functions-framework behind a push
//     subscription (publish → push → function → publish → pull), against a bare functions-framework function that
//     publishes one reply with the Pub/Sub client, asked by a bare publish + streaming pull; the two alternate, so
//     both see the same load;
//  2. cold start to first answer: functions-framework started, the question published once it listens, until the
//     answer arrives; the Skein function (SDK + service built on its first event) against the bare one (Pub/Sub
//     client made at load).
// Both functions are written to a temporary folder, as a deployment's source would be. Prints one JSON line.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const skein = require('../../dist/src/index.js');
const testing = require('../../dist/src/testing.js');
const { PubSub } = require('@google-cloud/pubsub');

const ROUND_TRIPS = Number(process.env.BENCH_FUNCTION_ROUND_TRIPS ?? 60);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 5);
const PROJECT = 'bench-functions';
const NO_OP_ID = 'bench/no-op:1.0.0';
const FUNCTIONS_FRAMEWORK = join(root, 'node_modules', '.bin', 'functions-framework');
const silent = skein.createLogger({ sinks: [] });

const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))];
const median = (values) => percentile(values, 0.5);
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

// The Skein function: the composition-root pattern of functions/, with a no-op app and an empty twine.
const SKEIN_FUNCTION = `
const { functionHandlers, resolveFunctionSettings } = require(${JSON.stringify(join(root, 'dist/src/functions'))});
const { PubSubTransport } = require(${JSON.stringify(join(root, 'dist/src/cloud/pubsub'))});
const { serviceFromConfiguration } = require(${JSON.stringify(join(root, 'dist/src/service'))});
const identity = { namespace: 'bench', name: 'no-op', revisionTag: '1.0.0' };
exports.noOp = functionHandlers({
  service: {
    serviceId: () => resolveFunctionSettings({ env: process.env, identity }).serviceId,
    build: () => {
      const settings = resolveFunctionSettings({ env: process.env, identity });
      const { projectId, topicName } = settings;
      const transport = new PubSubTransport({ projectId, topicName, apiEndpoint: settings.pubsubEndpoint });
      return serviceFromConfiguration({
        configuration: settings.configuration,
        serviceId: settings.serviceId,
        transport,
        runnerOptions: { app: () => undefined, twine: {} },
      });
    },
  },
}).cloudEvent;
`;

// The floor: a bare function that publishes one reply per question with the Pub/Sub client made at load.
const BARE_FUNCTION = `
const { PubSub } = require(${JSON.stringify(require.resolve('@google-cloud/pubsub'))});
const topic = new PubSub({ projectId: process.env.GOOGLE_CLOUD_PROJECT }).topic(process.env.BARE_TOPIC, {
  batching: { maxMessages: 1 },
});
exports.bare = async (event) => {
  const message = event.data.message;
  if (message.attributes.kind !== 'question') return;
  await topic.publishMessage({ data: Buffer.from('{"kind":"result"}'), attributes: { kind: 'result', q: message.attributes.q } });
};
`;

function startFunction(source, target, env, port) {
  const child = spawn(
    FUNCTIONS_FRAMEWORK,
    [`--source=${source}`, `--target=${target}`, '--signature-type=cloudevent', `--port=${port}`],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text) => (out += text));
  const listening = new Promise((ready, fail) => {
    const poll = setInterval(() => {
      if (out.includes('URL: http://localhost:')) {
        clearInterval(poll);
        ready();
      } else if (child.exitCode !== null) {
        clearInterval(poll);
        fail(new Error(`functions-framework (${target}) exited`));
      }
    }, 2);
  });
  const stop = () =>
    new Promise((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return { listening, stop };
}

const emulator = await testing.startPubSubEmulator();
const client = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host });
const work = mkdtempSync(join(tmpdir(), 'skein-bench-functions-'));
const running = [];
try {
  for (const [name, text] of [
    ['skein', SKEIN_FUNCTION],
    ['bare', BARE_FUNCTION],
  ]) {
    mkdirSync(join(work, name));
    writeFileSync(join(work, name, 'index.js'), text);
  }
  const env = { PUBSUB_EMULATOR_HOST: emulator.host, GOOGLE_CLOUD_PROJECT: PROJECT, METADATA_SERVER_DETECTION: 'none' };

  // --- the bare side: its topic, a parent pull subscription for replies, and a push subscription per server ---
  const bareTopicName = `bare-${randomUUID()}`;
  const [bareTopic] = await client.createTopic(bareTopicName);
  const barePublisher = client.topic(bareTopicName, { batching: { maxMessages: 1 } });
  const [replies] = await bareTopic.createSubscription(`bare-replies-${randomUUID()}`);
  const waiting = new Map();
  replies.on('message', (m) => {
    m.ack();
    if (m.attributes.kind === 'result') waiting.get(m.attributes.q)?.();
  });
  const bareAsk = (q = randomUUID()) =>
    new Promise((answered) => {
      waiting.set(q, answered);
      void barePublisher.publishMessage({
        data: Buffer.from('{"kind":"question"}'),
        attributes: { kind: 'question', q },
      });
    });
  const bareEnv = { ...env, BARE_TOPIC: bareTopicName };

  // --- the Skein side: its topic, a Child asking, a push subscription per server ---
  const topicName = `skein-${randomUUID()}`;
  // A Skein function answers on its configured topic only (never the one a push path names).
  const skeinEnv = { ...env, TWINED_SERVICES_TOPIC_NAME: topicName };
  const transport = new skein.PubSubTransport({ projectId: PROJECT, topicName, apiEndpoint: emulator.host });
  await transport.ensureTopic();
  const child = new skein.Child({ id: NO_OP_ID, transport, parentSruid: 'bench/parent:1.0.0', logger: silent });
  const skeinAsk = () => child.ask({ timeout: 120 });

  const pushTo = async (topic, port) => {
    const name = `push-${randomUUID()}`;
    await topic.createSubscription(name, {
      ackDeadlineSeconds: 600,
      pushConfig: {
        pushEndpoint: `http://127.0.0.1:${port}/projects/${PROJECT}/topics/${topic.name.split('/').pop()}`,
      },
    });
    return client.subscription(name);
  };
  const skeinTopic = client.topic(topicName);

  // --- 1. cold start to first answer, alternating Skein and bare ---
  const cold = { skein: [], bare: [] };
  const listening = { skein: [], bare: [] };
  for (let i = 0; i < COLD_STARTS; i++) {
    for (const side of ['skein', 'bare']) {
      const port = await testing.findFreePort();
      const subscription = await pushTo(side === 'skein' ? skeinTopic : bareTopic, port);
      const start = process.hrtime.bigint();
      const server = startFunction(
        join(work, side),
        side === 'skein' ? 'noOp' : 'bare',
        side === 'skein' ? skeinEnv : bareEnv,
        port,
      );
      await server.listening;
      listening[side].push(ms(start));
      await (side === 'skein' ? skeinAsk() : bareAsk());
      cold[side].push(ms(start));
      await server.stop();
      await subscription.delete();
    }
  }

  // --- 2. warm round trips through one long-running server each, alternating ---
  const servers = {};
  for (const side of ['skein', 'bare']) {
    const port = await testing.findFreePort();
    await pushTo(side === 'skein' ? skeinTopic : bareTopic, port);
    const server = startFunction(
      join(work, side),
      side === 'skein' ? 'noOp' : 'bare',
      side === 'skein' ? skeinEnv : bareEnv,
      port,
    );
    running.push(server);
    await server.listening;
    servers[side] = server;
  }
  for (let i = 0; i < 5; i++) {
    await skeinAsk();
    await bareAsk();
  }
  // Default asks forward the service's log records (Octue's default): three ordered log_record publishes precede the
  // result. The quiet variant asks with subscribeToLogs: false, leaving delivery_acknowledgement + result.
  const quietAsk = () => child.ask({ timeout: 120, subscribeToLogs: false });
  const times = { skein: [], quiet: [], bare: [] };
  for (let i = 0; i < ROUND_TRIPS; i++) {
    for (const [side, ask] of [
      ['skein', skeinAsk],
      ['quiet', quietAsk],
      ['bare', bareAsk],
    ]) {
      const t = process.hrtime.bigint();
      await ask();
      times[side].push(ms(t));
    }
  }

  await child.close();
  await replies.close();
  await transport.close();
  const summary = (values) => ({ p50: percentile(values, 0.5), p99: percentile(values, 0.99) });
  const roundTrip = { skein: summary(times.skein), quiet: summary(times.quiet), bare: summary(times.bare) };
  const coldStart = { skein: median(cold.skein), bare: median(cold.bare) };
  const fmt = (n, d = 1) => n.toFixed(d);
  const lines = [
    `no-op round trip (push + functions-framework), ${ROUND_TRIPS} each, alternating:`,
    `  p50 ${fmt(roundTrip.skein.p50)} ms vs bare publish->push->function->publish->pull ${fmt(roundTrip.bare.p50)} ms -> ` +
      `${fmt(roundTrip.skein.p50 / roundTrip.bare.p50, 2)}x   (target <= 1.10x)`,
    `  p99 ${fmt(roundTrip.skein.p99)} ms vs ${fmt(roundTrip.bare.p99)} ms -> ` +
      `${fmt(roundTrip.skein.p99 / roundTrip.bare.p99, 2)}x   (target <= 1.25x)`,
    `  without log forwarding: p50 ${fmt(roundTrip.quiet.p50)} ms -> ${fmt(roundTrip.quiet.p50 / roundTrip.bare.p50, 2)}x, ` +
      `p99 ${fmt(roundTrip.quiet.p99)} ms -> ${fmt(roundTrip.quiet.p99 / roundTrip.bare.p99, 2)}x`,
    `cold start to first answer, median of ${COLD_STARTS}: ${fmt(coldStart.skein, 0)} ms vs bare functions-framework + ` +
      `pubsub client ${fmt(coldStart.bare, 0)} ms -> ${fmt(coldStart.skein / coldStart.bare, 2)}x   (target <= 1.3x)`,
    `  cold starts (ms): skein ${cold.skein.map((v) => fmt(v, 0)).join(', ')}; bare ${cold.bare.map((v) => fmt(v, 0)).join(', ')}`,
    `  of which until functions-framework listens (module loading), median: skein ${fmt(median(listening.skein), 0)} ms, ` +
      `bare ${fmt(median(listening.bare), 0)} ms`,
  ];
  console.log(JSON.stringify({ name: 'functions', roundTrip, coldStart, cold, listening, lines }));
} finally {
  await Promise.all(running.map((server) => server.stop()));
  await client.close().catch(() => undefined);
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);

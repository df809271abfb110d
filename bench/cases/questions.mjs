// Issue 3 figures on the real Pub/Sub emulator, each beside its raw-client baseline from the same run:
//  1. `Child.ask` round trip to a no-op Service vs a bare publish → pull → publish → pull ping-pong;
//  2. parent-side handling of 10 000 monitor messages (EventHandler) vs raw receive of the same messages.
// Both sides of each pair run in this process against the same emulator. Prints one JSON line. The askMultiple
// throughput figure is measured by questions-throughput.mjs, on a fresh emulator per measurement.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const skein = require('../../dist/src/index.js');
const testing = require('../../dist/src/testing.js');
const { PubSub } = require('@google-cloud/pubsub');

const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 60);
const MONITOR_MESSAGES = Number(process.env.BENCH_MONITOR_MESSAGES ?? 10_000);
const PROJECT = 'bench-questions';
const silent = skein.createLogger({ sinks: [] });

const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))];
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

const emulator = await testing.startPubSubEmulator();
const client = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host });
try {
  const results = {};

  // --- raw ping-pong: one topic, a "child" subscription that answers, a "parent" subscription that waits ---
  const rawTopicName = `raw-${randomUUID()}`;
  const [rawTopic] = await client.createTopic(rawTopicName);
  const publisher = client.topic(rawTopicName, { messageOrdering: true, batching: { maxMessages: 1 } });
  const [childSub] = await rawTopic.createSubscription(`raw-child-${randomUUID()}`, { enableMessageOrdering: true });
  const [parentSub] = await rawTopic.createSubscription(`raw-parent-${randomUUID()}`, { enableMessageOrdering: true });
  childSub.on('message', (m) => {
    m.ack();
    if (m.attributes.kind !== 'question') return;
    void publisher.publishMessage({
      data: Buffer.from('{"kind":"result"}'),
      attributes: { kind: 'result', q: m.attributes.q },
      orderingKey: m.attributes.q,
    });
  });
  const waiting = new Map();
  parentSub.on('message', (m) => {
    m.ack();
    if (m.attributes.kind === 'result') waiting.get(m.attributes.q)?.();
  });
  const rawAsk = (q) =>
    new Promise((resolve) => {
      waiting.set(q, resolve);
      void publisher.publishMessage({
        data: Buffer.from('{"kind":"question"}'),
        attributes: { kind: 'question', q },
        orderingKey: q,
      });
    });
  for (let i = 0; i < 5; i++) await rawAsk(randomUUID()); // warm up
  const rawTimes = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const start = process.hrtime.bigint();
    await rawAsk(randomUUID());
    rawTimes.push(ms(start));
  }
  // --- Skein: a Service answering with a no-op app, and a Child asking it ---
  const topicName = `skein-${randomUUID()}`;
  const transport = new skein.PubSubTransport({ projectId: PROJECT, topicName, apiEndpoint: emulator.host });
  await transport.ensureTopic();
  const childId = 'bench/no-op:1.0.0';
  const service = new skein.Service({ serviceId: childId, transport, runFunction: async () => ({}), logger: silent });
  const stop = new AbortController();
  const ready = new Promise((resolve) => {
    void service.serve({ signal: stop.signal, onReady: resolve, deleteSubscriptionOnExit: true });
  });
  await ready;
  const child = new skein.Child({ id: childId, transport, parentSruid: 'bench/parent:1.0.0', logger: silent });
  for (let i = 0; i < 3; i++) await child.ask({ inputValues: {}, timeout: 60 });
  const askTimes = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t = process.hrtime.bigint();
    await child.ask({ inputValues: {}, timeout: 60 });
    askTimes.push(ms(t));
  }
  stop.abort();

  results.roundTrip = {
    raw: { p50: percentile(rawTimes, 0.5), p99: percentile(rawTimes, 0.99) },
    skein: { p50: percentile(askTimes, 0.5), p99: percentile(askTimes, 0.99) },
  };

  // --- 10 000 monitor messages: published once, received raw and through Skein's EventHandler ---
  const question = skein.makeQuestionAttributes({ sender: 'bench/parent:1.0.0', recipient: childId });
  const monitorTopic = `monitor-${randomUUID()}`;
  const [mTopic] = await client.createTopic(monitorTopic);
  const [rawMonitorSub] = await mTopic.createSubscription(`m-raw-${randomUUID()}`);
  const [skeinMonitorSub] = await mTopic.createSubscription(`m-skein-${randomUUID()}`);
  const mPublisher = client.topic(monitorTopic, { batching: { maxMessages: 100, maxMilliseconds: 5 } });
  await Promise.all(
    Array.from({ length: MONITOR_MESSAGES }, (_, i) =>
      mPublisher.publishMessage({
        data: skein.serialiseEventData(skein.makeMonitorMessageEvent({ progress: i })),
        attributes: skein.encodeAttributes(skein.makeResponseAttributes(question, childId)),
      }),
    ),
  );
  const receive = (subscription, onMessage) =>
    new Promise((resolve) => {
      let count = 0;
      const pending = [];
      const t = process.hrtime.bigint();
      subscription.on('message', (m) => {
        m.ack();
        pending.push(onMessage(m));
        if (++count === MONITOR_MESSAGES) {
          void Promise.all(pending).then(() => {
            const seconds = ms(t) / 1000;
            void subscription.close().then(() => resolve(seconds));
          });
        }
      });
    });
  const rawReceive = await receive(rawMonitorSub, (m) => JSON.parse(m.data.toString()));
  let handled = 0;
  const handler = new skein.EventHandler({
    handleMonitorMessage: () => handled++,
    logger: silent,
    recordEvents: false,
  });
  const skeinReceive = await receive(skeinMonitorSub, (m) =>
    handler.handle({ event: skein.parseEventData(m.data), attributes: m.attributes }),
  );
  results.monitor = { n: MONITOR_MESSAGES, handled, rawSeconds: rawReceive, skeinSeconds: skeinReceive };

  await childSub.close();
  await parentSub.close();
  await transport.close();
  console.log(JSON.stringify({ name: 'questions', ...results }));
} finally {
  await client.close().catch(() => undefined);
  await emulator.stop();
}
process.exit(0);

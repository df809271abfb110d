// Issue 3 throughput figure on the real Pub/Sub emulator: `askMultiple(500)` to a no-op Service against the raw
// client pipelining 500 ping-pongs, each side measured on a fresh emulator.
//
// Why a fresh emulator per measurement: the emulator keeps every message it has ever carried (its heap grows by
// ~1.5 GB over a few rounds, even after topics are deleted) and slows down as it does, so on a shared emulator
// whichever side runs later is slower and the ratio drifts from round to round. Each measurement therefore starts
// an emulator, warms its JVM with the same untimed raw exchange for every side, sets the side up, warms it with a
// few sequential asks, times N pipelined questions, and stops the emulator. Sides alternate in order, rounds are
// repeated, medians are compared; the whole process is warmed once first (untimed run of every side).
//
// Sides:
//  - bare:      the baseline: a question message and a result message, tiny payloads, raw client;
//  - bare-wire: the raw client exchanging the same messages as Skein's wire (Octue's format): a question, then a
//               delivery acknowledgement and a result leaving in one publish request, with Octue's attributes;
//               no decoding, validation or SDK logic. It is the floor for any Octue-compatible implementation;
//  - skein:     `Child.askMultiple` to a `Service` with a no-op app, both in this process.
// The emulator applies no subscription filters, so every message reaches both subscriptions: 6 deliveries per
// question on the wire sides against 4 for `bare`. Prints one JSON line with `lines` to show.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const skein = require('../../dist/src/index.js');
const testing = require('../../dist/src/testing.js');
const { PubSub } = require('@google-cloud/pubsub');

const N = Number(process.env.BENCH_MULTIPLE ?? 500);
const ROUNDS = Number(process.env.BENCH_MULTIPLE_ROUNDS ?? 5);
const PROJECT = 'bench-throughput';
const CHILD = 'bench/no-op:1.0.0';
const PARENT = 'bench/parent:1.0.0';
const SIDES = ['bare', 'bare-wire', 'skein'];
const silent = skein.createLogger({ sinks: [] });
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Message makers per raw side; wire messages are built once from Skein's encoders, so the timed part runs no SDK
 * code. Questions are told from responses by an attribute, and a question is answered when its last response arrives
 * (ordering keys keep responses in order).
 */
function rawMessages(side) {
  if (side === 'bare') {
    const make = (kind) => (q) => ({
      data: Buffer.from(`{"kind":"${kind}"}`),
      attributes: { kind, q },
      orderingKey: q,
    });
    return {
      question: make('question'),
      responses: [make('result')],
      isQuestion: (m) => m.attributes.kind === 'question',
      idOf: (m) => m.attributes.q,
    };
  }
  const question = skein.makeQuestionAttributes({ sender: PARENT, recipient: CHILD });
  const response = skein.makeResponseAttributes(question, CHILD);
  const template = (event, attributes) => {
    const data = skein.serialiseEventData(event);
    const encoded = skein.encodeAttributes(attributes);
    return (q) => ({ data, attributes: { ...encoded, question_uuid: q }, orderingKey: q });
  };
  return {
    question: template(skein.makeQuestionEvent({ inputValues: {} }), question),
    responses: [
      template(skein.makeDeliveryAcknowledgementEvent(), response),
      template(skein.makeResultEvent({ outputValues: {} }), response),
    ],
    isQuestion: (m) => m.attributes.sender_type === 'PARENT',
    idOf: (m) => m.attributes.question_uuid,
  };
}

/** One raw side on `client`: a child subscription answering, a parent subscription waiting for the last response. */
async function rawExchange(client, side) {
  const { question, responses, isQuestion, idOf } = rawMessages(side);
  const name = `raw-${randomUUID()}`;
  const [topic] = await client.createTopic(name);
  const publisher = client.topic(name, { messageOrdering: true, batching: { maxMessages: 1 } });
  // Like Skein's responder: the responses of one answer leave together in one request.
  const responder =
    responses.length > 1
      ? client.topic(name, { messageOrdering: true, batching: { maxMessages: 1000, maxMilliseconds: 2 } })
      : publisher;
  const [childSub] = await topic.createSubscription(`c-${randomUUID()}`, { enableMessageOrdering: true });
  const [parentSub] = await topic.createSubscription(`p-${randomUUID()}`, { enableMessageOrdering: true });
  childSub.on('message', (m) => {
    m.ack();
    if (!isQuestion(m)) return;
    const q = idOf(m);
    for (const make of responses) void responder.publishMessage(make(q));
  });
  const waiting = new Map();
  parentSub.on('message', (m) => {
    m.ack();
    if (isQuestion(m)) return;
    const entry = waiting.get(idOf(m));
    if (entry && ++entry.received === responses.length) entry.resolve();
  });
  const ask = (q) =>
    new Promise((resolve) => {
      waiting.set(q, { received: 0, resolve });
      void publisher.publishMessage(question(q));
    });
  return {
    ask: () => ask(randomUUID()),
    many: (n) => Promise.all(Array.from({ length: n }, () => ask(randomUUID()))),
    close: async () => {
      await Promise.all([childSub.close(), parentSub.close()]);
      await Promise.all([childSub.delete(), parentSub.delete()]);
      await topic.delete();
    },
  };
}

/** The Skein side: a Service serving a no-op app and a Child asking it, on their own topic. */
async function skeinExchange(emulator) {
  const transport = new skein.PubSubTransport({
    projectId: PROJECT,
    topicName: `skein-${randomUUID()}`,
    apiEndpoint: emulator.host,
  });
  await transport.ensureTopic();
  const service = new skein.Service({ serviceId: CHILD, transport, runFunction: async () => ({}), logger: silent });
  const stop = new AbortController();
  let serving;
  await new Promise((onReady) => {
    serving = service.serve({ signal: stop.signal, onReady, deleteSubscriptionOnExit: true });
  });
  const child = new skein.Child({ id: CHILD, transport, parentSruid: PARENT, logger: silent });
  return {
    ask: () => child.ask({ inputValues: {}, timeout: 60 }),
    many: async (n) => {
      const answers = await child.askMultiple(
        Array.from({ length: n }, () => ({ inputValues: {}, timeout: 300 })),
        { maxConcurrency: n },
      );
      if (answers.length !== n) throw new Error(`askMultiple returned ${answers.length} answers for ${n} questions`);
    },
    close: async () => {
      stop.abort();
      await serving;
      await transport.close();
    },
  };
}

/** Times one side on a fresh emulator (see the header for the procedure). */
async function measure(side) {
  const emulator = await testing.startPubSubEmulator();
  const client = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host });
  try {
    const warmUp = await rawExchange(client, 'bare');
    await warmUp.many(N);
    await warmUp.close();
    const exchange = side === 'skein' ? await skeinExchange(emulator) : await rawExchange(client, side);
    for (let i = 0; i < 5; i++) await exchange.ask();
    const start = process.hrtime.bigint();
    await exchange.many(N);
    const elapsed = seconds(start);
    await exchange.close();
    return elapsed;
  } finally {
    await client.close().catch(() => undefined);
    await emulator.stop();
  }
}

for (const side of SIDES) await measure(side); // warms this process's code paths
const rounds = Object.fromEntries(SIDES.map((side) => [side, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = SIDES.map((_, i) => SIDES[(i + round) % SIDES.length]);
  for (const side of order) rounds[side].push(await measure(side));
}
const med = Object.fromEntries(SIDES.map((side) => [side, median(rounds[side])]));
const qps = (side) => (N / med[side]).toFixed(0);
const ratio = (a, b) => (med[b] / med[a]).toFixed(2);
const perRound = (a, b) => rounds[a].map((s, i) => (rounds[b][i] / s).toFixed(2)).join(', ');
const lines = [
  `askMultiple(${N}) ${qps('skein')} q/s; bare ping-pong ${qps('bare')} q/s; bare exchange of the wire's messages ` +
    `${qps('bare-wire')} q/s (medians of ${ROUNDS} rounds, a fresh emulator per measurement)`,
  `  skein / bare ping-pong:          ${ratio('skein', 'bare')}x   (target >= 0.85x; rounds ${perRound('skein', 'bare')})`,
  `  skein / bare exchange, same wire: ${ratio('skein', 'bare-wire')}x   (rounds ${perRound('skein', 'bare-wire')})`,
  `  protocol floor, bare-wire / bare: ${ratio('bare-wire', 'bare')}x   (3 messages and 6 deliveries per question vs 2 and 4)`,
];
console.log(JSON.stringify({ name: 'questions-throughput', n: N, rounds, medians: med, lines }));
process.exit(0);

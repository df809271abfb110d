// Issue 10 §9: peak RSS of a served service (`skein start`, in its own process, over the Pub/Sub emulator) under a
// flood of 4 000 malformed messages addressed to it, beside 2 000 valid questions as the baseline. Each side runs on
// a fresh emulator and a fresh service process; the service's peak RSS is its VmHWM from /proc (Linux) read once the
// flood has been handled. Prints one JSON line.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const testing = require('../../dist/src/testing.js');
const skein = require('../../dist/src/index.js');
const { PubSub } = require('@google-cloud/pubsub');

const VALID = Number(process.env.BENCH_FLOOD_VALID ?? 2_000);
const MALFORMED = Number(process.env.BENCH_FLOOD_MALFORMED ?? 4_000);
// Malformed messages are 1 kB to this size (spread evenly).
const MAX_BYTES = Number(process.env.BENCH_FLOOD_MAX_BYTES ?? 60_000);
const PROJECT = 'bench-flood';
const TOPIC = 'main.octue.twined.services';
const SERVICE = 'bench/flooded:1.0.0';
const PARENT = 'bench/parent:1.0.0';
const TARGET_MB = 300;
const LIMIT_MS = 10 * 60_000;
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'skein.js');

// A minimal service: squares n.
const serviceDir = mkdtempSync(join(tmpdir(), 'skein-bench-flood-'));
writeFileSync(join(serviceDir, 'octue.yaml'), 'services:\n  - namespace: bench\n    name: flooded\n');
writeFileSync(
  join(serviceDir, 'twine.json'),
  JSON.stringify({
    input_values_schema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
    output_values_schema: { type: 'object', properties: { square: { type: 'integer' } }, required: ['square'] },
  }),
);
writeFileSync(
  join(serviceDir, 'app.js'),
  'exports.run = async (analysis) => { analysis.outputValues = { square: analysis.inputValues.n ** 2 }; };\n',
);

const questionAttributes = (questionUuid) =>
  skein.encodeAttributes(
    skein.makeQuestionAttributes({ sender: PARENT, recipient: SERVICE, questionUuid, forwardLogs: false }),
  );

// Malformed messages that all pass the service's filter (recipient and sender_type are right), in a few shapes:
// undecodable bytes, JSON that is no event, a question without its attributes, and a question breaking the schema.
function malformed(i) {
  const base = { recipient: SERVICE, sender_type: 'PARENT' };
  const size = 1_000 + ((i * 7_919) % MAX_BYTES);
  switch (i % 4) {
    case 0:
      return { data: randomBytes(size), attributes: base };
    case 1:
      return { data: Buffer.from(JSON.stringify({ junk: 'x'.repeat(size) })), attributes: base };
    case 2:
      return {
        data: Buffer.from(JSON.stringify({ kind: 'question', input_values: { n: 'x'.repeat(size) } })),
        attributes: base,
      };
    default: {
      const attributes = questionAttributes(randomUUID());
      return { data: Buffer.from(JSON.stringify({ kind: 'question', input_values: 'y'.repeat(size) })), attributes };
    }
  }
}

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function until(condition, what) {
  const deadline = Date.now() + LIMIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Serves the service with `skein start` on a fresh emulator, floods it, and returns its peak RSS (MB). */
async function measure(kind, count) {
  const emulator = await testing.startPubSubEmulator();
  const client = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host });
  let server;
  try {
    const [topic] = await client.createTopic(TOPIC);
    const [answers] = await topic.createSubscription(`bench-parent-${randomUUID()}`, {
      filter: `attributes.recipient = "${PARENT}"`,
    });
    let results = 0;
    answers.on('message', (message) => {
      message.ack();
      if (JSON.parse(message.data.toString('utf8')).kind === 'result') results += 1;
    });
    server = spawn(process.execPath, [bin, 'start', '-c', join(serviceDir, 'octue.yaml'), '--revision-tag', '1.0.0'], {
      env: { ...process.env, PUBSUB_EMULATOR_HOST: emulator.host, GOOGLE_CLOUD_PROJECT: PROJECT },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let dropped = 0;
    let tail = '';
    server.stdout.on('data', (chunk) => (stdout += chunk));
    // Read (and count) the service's log lines as a log collector would: an unread pipe would hold them in memory.
    server.stderr.on('data', (chunk) => {
      const text = tail + chunk;
      const lines = text.split('\n');
      tail = lines.pop();
      for (const line of lines) {
        // Dropped as unreadable, or (a routable question with invalid values) answered with an exception.
        if (line.includes('received an invalid question') || line.includes('failed to answer question')) dropped += 1;
        if (process.env.BENCH_FLOOD_DEBUG) process.stderr.write(`service: ${line}\n`);
      }
    });
    await until(() => stdout.includes('Serving ') || server.exitCode !== null, 'the service to start');
    if (server.exitCode !== null) throw new Error(`skein start exited with ${server.exitCode}`);
    const publisher = client.topic(TOPIC, { batching: { maxMessages: 100, maxMilliseconds: 10 } });
    const sends = [];
    for (let i = 0; i < count; i++) {
      if (kind === 'valid') {
        const questionUuid = randomUUID();
        const data = Buffer.from(JSON.stringify({ kind: 'question', input_values: { n: i } }));
        sends.push(publisher.publishMessage({ data, attributes: questionAttributes(questionUuid) }));
      } else {
        sends.push(publisher.publishMessage(malformed(i)));
      }
      if (sends.length >= 500) await Promise.all(sends.splice(0));
    }
    await Promise.all(sends);
    const start = Date.now();
    await until(() => (kind === 'valid' ? results : dropped) >= count, `${count} ${kind} messages to be handled`);
    const seconds = (Date.now() - start) / 1000;
    const rss = peakRssMb(server.pid);
    await answers.close();
    return { peakRssMb: rss, seconds };
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await client.close();
    await emulator.stop();
  }
}

try {
  const valid = await measure('valid', VALID);
  const flood = await measure('malformed', MALFORMED);
  const fmt = (n) => n.toFixed(0);
  console.log(
    JSON.stringify({
      name: 'flood-rss',
      valid,
      flood,
      lines: [
        `${VALID} valid questions:      peak RSS ${fmt(valid.peakRssMb)} MB (baseline)`,
        `${MALFORMED} malformed messages: peak RSS ${fmt(flood.peakRssMb)} MB -> ` +
          `${(flood.peakRssMb / valid.peakRssMb).toFixed(2)}x the baseline   (target < ${TARGET_MB} MB)`,
      ],
    }),
  );
} finally {
  rmSync(serviceDir, { recursive: true, force: true });
}

// Issue 5 figure: ChildEmulator replay of a recording of 10 000 events (monitor messages and log records, then the
// result) read from a file, vs `JSON.parse` of the same file plus a loop over its events. Both sides read the file
// in each run; the figure is the ratio of the medians (target <= 3x). Prints one JSON line.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const skein = require('../../dist/src/index.js');
const { ChildEmulator, saveRecordedEvents } = require('../../dist/src/service/child-emulator/index.js');

const EVENTS = Number(process.env.BENCH_REPLAY_EVENTS ?? 10_000);
const RUNS = Number(process.env.BENCH_REPLAY_RUNS ?? 9);
const silent = skein.createLogger({ sinks: [] });

const CHILD = 'acme/csv-stats:1.0.0';
const QUESTION = randomUUID();
const attributes = (index) => ({
  datetime: new Date(Date.UTC(2025, 5, 1, 10, 0, 0, index)).toISOString().replace('Z', '+00:00'),
  uuid: randomUUID(),
  retry_count: 0,
  question_uuid: QUESTION,
  originator_question_uuid: QUESTION,
  parent: 'acme/aggregator:1.0.0',
  originator: 'acme/aggregator:1.0.0',
  sender: CHILD,
  sender_type: 'CHILD',
  sender_sdk_version: '0.69.0',
  recipient: 'acme/aggregator:1.0.0',
});
// A log record as a Python or Skein child sends it (every field of Python's LogRecord).
const logRecord = (index) => ({
  name: 'app',
  msg: `Processed row ${index} of ${EVENTS}.`,
  args: null,
  levelname: 'INFO',
  levelno: 20,
  pathname: '/workspace/app.py',
  filename: 'app.py',
  module: 'app',
  lineno: 42,
  funcName: 'run',
  created: 1748772000 + index / 1000,
  msecs: index % 1000,
  relativeCreated: index,
  thread: 1,
  threadName: 'MainThread',
  process: 7,
  processName: 'MainProcess',
  exc_info: null,
  exc_text: null,
  stack_info: null,
});
const recording = Array.from({ length: EVENTS }, (_, index) => {
  if (index === EVENTS - 1) {
    return { event: { kind: 'result', output_values: { rows: EVENTS, mean: 4.2 } }, attributes: attributes(index) };
  }
  const event =
    index % 2 === 0
      ? { kind: 'monitor_message', data: { status_text: `Row ${index}`, progress: index / EVENTS } }
      : { kind: 'log_record', log_record: logRecord(index) };
  return { event, attributes: attributes(index) };
});

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

const directory = mkdtempSync(join(tmpdir(), 'skein-bench-replay-'));
try {
  const file = join(directory, 'recording.json');
  await saveRecordedEvents(file, recording);
  const megabytes = readFileSync(file).length / 1e6;

  // Baseline: read and parse the file, then look at every event as a replay must (its kind and payload).
  const baseline = () => {
    const events = JSON.parse(readFileSync(file, 'utf8'));
    let monitor = 0;
    let logs = 0;
    let result;
    for (const { event } of events) {
      if (event.kind === 'monitor_message') monitor += event.data === undefined ? 0 : 1;
      else if (event.kind === 'log_record') logs += event.log_record.msg.length > 0 ? 1 : 0;
      else if (event.kind === 'result') {
        result = event.output_values;
        break;
      }
    }
    return { monitor, logs, result };
  };
  let handled = 0;
  const replay = async () => {
    const emulator = await ChildEmulator.fromFile(file, { logger: silent });
    return emulator.ask({ handleMonitorMessage: () => void handled++ });
  };
  const preloaded = await ChildEmulator.fromFile(file, { logger: silent });
  const replayLoaded = () => preloaded.ask({ handleMonitorMessage: () => void handled++ });

  // Warm up both paths (JIT, schema compilation).
  for (let i = 0; i < 2; i++) {
    baseline();
    await replay();
  }
  const times = { baseline: [], replay: [], replayLoaded: [] };
  for (let i = 0; i < RUNS; i++) {
    globalThis.gc?.();
    let start = process.hrtime.bigint();
    const base = baseline();
    times.baseline.push(ms(start));
    globalThis.gc?.();
    start = process.hrtime.bigint();
    const { answer } = await replay();
    times.replay.push(ms(start));
    globalThis.gc?.();
    start = process.hrtime.bigint();
    await replayLoaded();
    times.replayLoaded.push(ms(start));
    if (JSON.stringify(answer.outputValues) !== JSON.stringify(base.result)) {
      throw new Error('The replay and the baseline disagree about the result.');
    }
  }
  const figures = Object.fromEntries(Object.entries(times).map(([key, values]) => [key, median(values)]));
  const ratio = figures.replay / figures.baseline;
  const perEvent = (total) => ((total * 1000) / EVENTS).toFixed(1);
  const lines = [
    `recording: ${EVENTS} events (${Math.floor((EVENTS - 1) / 2) + ((EVENTS - 1) % 2)} monitor messages, ` +
      `${Math.floor((EVENTS - 1) / 2)} log records, 1 result), ${megabytes.toFixed(1)} MB, median of ${RUNS} runs`,
    `JSON.parse + iteration             ${figures.baseline.toFixed(1).padStart(7)} ms  (${perEvent(figures.baseline)} µs/event)`,
    `ChildEmulator.fromFile + ask       ${figures.replay.toFixed(1).padStart(7)} ms  (${perEvent(figures.replay)} µs/event)` +
      ` -> ${ratio.toFixed(2)}x   (target <= 3x)`,
    `ask on a loaded emulator (replay)  ${figures.replayLoaded.toFixed(1).padStart(7)} ms  (${perEvent(figures.replayLoaded)} µs/event)`,
  ];
  console.log(JSON.stringify({ name: 'replay', events: EVENTS, megabytes, figures, ratio, lines }));
} finally {
  rmSync(directory, { recursive: true, force: true });
}

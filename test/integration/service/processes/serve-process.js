// What every service script under processes/ does the same way, so that each script says only what its own service
// does. Like the scripts, it runs against the BUILT package (dist/) and reads the environment they document:
// PUBSUB_EMULATOR_HOST, SKEIN_TEST_PROJECT and SKEIN_TEST_TOPIC.
'use strict';

const { PubSubTransport } = require('../../../../dist/src/cloud/pubsub');
const { createLogger, streamLogSink } = require('../../../../dist/src/service');

/** The transport over the Pub/Sub emulator, on the project and topic the test named. */
function emulatorTransport(env = process.env) {
  return new PubSubTransport({
    projectId: env.SKEIN_TEST_PROJECT,
    topicName: env.SKEIN_TEST_TOPIC,
    apiEndpoint: env.PUBSUB_EMULATOR_HOST,
  });
}

/** A logger writing to stderr, which the tests collect: stdout carries only the lines they wait for (READY, ...). */
function stderrLogger(name, level = 'warning') {
  return createLogger({ name, sinks: [{ sink: streamLogSink(process.stderr), level }] });
}

// Most tests only need to see why serving failed when the test itself fails; the stack says where.
const stackOf = (error) => (error && error.stack ? error.stack : String(error));

/**
 * Serves `service` until SIGTERM, printing READY once it listens, then exits 0 (1 if serving failed, after writing
 * `describeError(error)` to stderr). `afterServe` runs between serving and exiting when the script must release
 * something first. It exits rather than waiting for Node to drain: a hung answer would keep the process alive.
 */
function serveUntilSigterm(service, serveOptions, { afterServe = () => undefined, describeError = stackOf } = {}) {
  const controller = new AbortController();
  process.on('SIGTERM', () => controller.abort());
  service
    .serve({ ...serveOptions, signal: controller.signal, onReady: () => process.stdout.write('READY\n') })
    .then(afterServe)
    .then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`${describeError(error)}\n`);
        process.exit(1);
      },
    );
}

module.exports = { emulatorTransport, stderrLogger, serveUntilSigterm };

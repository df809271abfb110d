// A served service in its own process for the emulator-restart and flood tests. It runs against the BUILT package
// (dist/, rebuilt by the integration global setup) over the Pub/Sub emulator and is configured by environment:
//   PUBSUB_EMULATOR_HOST, SKEIN_TEST_PROJECT, SKEIN_TEST_TOPIC, SKEIN_TEST_SERVICE_ID (its SRUID),
//   SKEIN_TEST_HEARTBEAT_MS (its heartbeat interval), SKEIN_TEST_RECOVERY_ATTEMPTS (re-creations of a lost
//   subscription; default 0), SKEIN_TEST_MAX_MESSAGES (flow control; default the transport's).
// Its app answers {square: n * n} at once. It prints READY once it listens; on SIGTERM it stops serving (deleting its
// subscription) and exits 0; if serving fails it prints the error's class and message on one line and exits 1.
'use strict';

const { PubSubTransport } = require('../../../../dist/src/cloud/pubsub');
const { DEFAULT_FLOW_CONTROL } = require('../../../../dist/src/core/ports/transport');
const { Service, createLogger, streamLogSink } = require('../../../../dist/src/service');

const env = process.env;
const transport = new PubSubTransport({
  projectId: env.SKEIN_TEST_PROJECT,
  topicName: env.SKEIN_TEST_TOPIC,
  apiEndpoint: env.PUBSUB_EMULATOR_HOST,
});
const logger = createLogger({
  name: 'answering-service',
  sinks: [{ sink: streamLogSink(process.stderr), level: 'warning' }],
});

const service = new Service({
  serviceId: env.SKEIN_TEST_SERVICE_ID,
  transport,
  heartbeatIntervalMs: Number(env.SKEIN_TEST_HEARTBEAT_MS ?? 120_000),
  logger,
  runFunction: async ({ inputValues }) => ({ outputValues: { square: inputValues.n * inputValues.n } }),
});
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());

service
  .serve({
    signal: controller.signal,
    deleteSubscriptionOnExit: true,
    recovery: { attempts: Number(env.SKEIN_TEST_RECOVERY_ATTEMPTS ?? 0), initialDelayMs: 200, maxDelayMs: 1000 },
    flowControl: {
      maxMessages: Number(env.SKEIN_TEST_MAX_MESSAGES ?? DEFAULT_FLOW_CONTROL.maxMessages),
      maxBytes: DEFAULT_FLOW_CONTROL.maxBytes,
    },
    onReady: () => process.stdout.write('READY\n'),
  })
  .then(() => process.exit(0))
  .catch((error) => {
    process.stderr.write(`SERVE FAILED ${error && error.name}: ${error && error.message}\n`);
    process.exit(1);
  });

// A service in its own process for the robustness tests. It runs against the BUILT package (dist/, rebuilt by the
// integration global setup) over the Pub/Sub emulator and is configured by environment:
//   PUBSUB_EMULATOR_HOST, SKEIN_TEST_PROJECT, SKEIN_TEST_TOPIC, SKEIN_TEST_SERVICE_ID (its SRUID),
//   SKEIN_TEST_HEARTBEAT_MS (its heartbeat interval),
//   SKEIN_TEST_STOP_GRACE_MS (how long stopping waits for answers in flight; unset: as long as they take).
// Its app hangs: it never returns. It prints READY once it listens, and STARTED <question uuid> when an analysis
// starts; on SIGTERM it stops serving (deleting its subscription) and exits with 0.
'use strict';

const { PubSubTransport } = require('../../../../dist/src/cloud/pubsub');
const { Service, createLogger, streamLogSink } = require('../../../../dist/src/service');

const env = process.env;
const transport = new PubSubTransport({
  projectId: env.SKEIN_TEST_PROJECT,
  topicName: env.SKEIN_TEST_TOPIC,
  apiEndpoint: env.PUBSUB_EMULATOR_HOST,
});
const logger = createLogger({
  name: 'robust-service',
  sinks: [{ sink: streamLogSink(process.stderr), level: 'warning' }],
});

const service = new Service({
  serviceId: env.SKEIN_TEST_SERVICE_ID,
  transport,
  heartbeatIntervalMs: Number(env.SKEIN_TEST_HEARTBEAT_MS),
  logger,
  runFunction: ({ analysisId }) => {
    process.stdout.write(`STARTED ${analysisId}\n`);
    return new Promise(() => undefined);
  },
});
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());

const grace = env.SKEIN_TEST_STOP_GRACE_MS;
service
  .serve({
    signal: controller.signal,
    deleteSubscriptionOnExit: true,
    ...(grace === undefined ? {} : { stopGracePeriodMs: Number(grace) }),
    onReady: () => process.stdout.write('READY\n'),
  })
  // Not transport.close(): it waits for every subscriber's running handlers, and the hung answer never ends.
  .then(() => process.exit(0))
  .catch((error) => {
    process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  });

// A served service in its own process for the emulator-restart and flood tests. It runs against the BUILT package
// (dist/, rebuilt by the integration global setup) over the Pub/Sub emulator and is configured by environment:
//   PUBSUB_EMULATOR_HOST, SKEIN_TEST_PROJECT, SKEIN_TEST_TOPIC, SKEIN_TEST_SERVICE_ID (its SRUID),
//   SKEIN_TEST_HEARTBEAT_MS (its heartbeat interval), SKEIN_TEST_RECOVERY_ATTEMPTS (re-creations of a lost
//   subscription; default 0), SKEIN_TEST_MAX_MESSAGES (flow control; default the transport's).
// Its app answers {square: n * n} at once. It prints READY once it listens; on SIGTERM it stops serving (deleting its
// subscription) and exits 0; if serving fails it prints the error's class and message on one line and exits 1.
'use strict';

const { DEFAULT_FLOW_CONTROL } = require('../../../../dist/src/core/ports/transport');
const { Service } = require('../../../../dist/src/service');
const { emulatorTransport, serveUntilSigterm, stderrLogger } = require('./serve-process');

const env = process.env;
const transport = emulatorTransport(env);
const logger = stderrLogger('answering-service');

const service = new Service({
  serviceId: env.SKEIN_TEST_SERVICE_ID,
  transport,
  heartbeatIntervalMs: Number(env.SKEIN_TEST_HEARTBEAT_MS ?? 120_000),
  logger,
  runFunction: async ({ inputValues }) => ({ outputValues: { square: inputValues.n * inputValues.n } }),
});
serveUntilSigterm(
  service,
  {
    deleteSubscriptionOnExit: true,
    recovery: { attempts: Number(env.SKEIN_TEST_RECOVERY_ATTEMPTS ?? 0), initialDelayMs: 200, maxDelayMs: 1000 },
    flowControl: {
      maxMessages: Number(env.SKEIN_TEST_MAX_MESSAGES ?? DEFAULT_FLOW_CONTROL.maxMessages),
      maxBytes: DEFAULT_FLOW_CONTROL.maxBytes,
    },
  },
  // One line naming the error's class: the emulator-restart test matches it.
  { describeError: (error) => `SERVE FAILED ${error && error.name}: ${error && error.message}` },
);

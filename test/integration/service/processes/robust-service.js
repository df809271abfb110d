// A service in its own process for the robustness tests. It runs against the BUILT package (dist/, rebuilt by the
// integration global setup) over the Pub/Sub emulator and is configured by environment:
//   PUBSUB_EMULATOR_HOST, SKEIN_TEST_PROJECT, SKEIN_TEST_TOPIC, SKEIN_TEST_SERVICE_ID (its SRUID),
//   SKEIN_TEST_HEARTBEAT_MS (its heartbeat interval),
//   SKEIN_TEST_STOP_GRACE_MS (how long stopping waits for answers in flight; unset: as long as they take).
// Its app hangs: it never returns. It prints READY once it listens, and STARTED <question uuid> when an analysis
// starts; on SIGTERM it stops serving (deleting its subscription) and exits with 0.
'use strict';

const { Service } = require('../../../../dist/src/service');
const { emulatorTransport, serveUntilSigterm, stderrLogger } = require('./serve-process');

const env = process.env;
const transport = emulatorTransport(env);
const logger = stderrLogger('robust-service');

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
const grace = env.SKEIN_TEST_STOP_GRACE_MS;
// No afterServe: transport.close() waits for every subscriber's running handlers, and the hung answer never ends.
serveUntilSigterm(service, {
  deleteSubscriptionOnExit: true,
  ...(grace === undefined ? {} : { stopGracePeriodMs: Number(grace) }),
});

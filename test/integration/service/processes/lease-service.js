// A service in its own process for the crash test (robustness-crash.test.ts). It runs against the BUILT package
// (dist/, rebuilt by the integration global setup) over the Pub/Sub emulator, with its claims on the GCS-compatible
// server, and is configured by environment:
//   PUBSUB_EMULATOR_HOST, SKEIN_TEST_PROJECT, SKEIN_TEST_TOPIC, SKEIN_TEST_SERVICE_ID (its SRUID),
//   SKEIN_TEST_GCS_URL, SKEIN_TEST_CLAIMS_LOCATION, SKEIN_TEST_HEARTBEAT_MS (its heartbeat interval),
//   SKEIN_TEST_BEHAVIOUR: `hang` (the app never returns) or `answer` (it answers {answeredBy: <pid>}).
// It serves the service's existing subscription (the test creates it), prints READY once it listens and
// STARTED <question uuid> when an analysis starts, and on SIGTERM stops serving and exits with 0.
'use strict';

const { GcsObjectStore } = require('../../../../dist/src/cloud/storage');
const { createTestServiceAccount } = require('../../../../dist/src/emulators/service-account');
const { Service } = require('../../../../dist/src/service');
const { emulatorTransport, serveUntilSigterm, stderrLogger } = require('./serve-process');

const env = process.env;
const transport = emulatorTransport(env);
const objectStore = new GcsObjectStore({
  projectId: env.SKEIN_TEST_PROJECT,
  apiEndpoint: env.SKEIN_TEST_GCS_URL,
  credentials: createTestServiceAccount({ projectId: env.SKEIN_TEST_PROJECT }).credentials,
});
const logger = stderrLogger('lease-service', 'info');

const service = new Service({
  serviceId: env.SKEIN_TEST_SERVICE_ID,
  transport,
  objectStore,
  claimsLocation: env.SKEIN_TEST_CLAIMS_LOCATION,
  heartbeatIntervalMs: Number(env.SKEIN_TEST_HEARTBEAT_MS),
  logger,
  runFunction: async ({ analysisId }) => {
    process.stdout.write(`STARTED ${analysisId}\n`);
    if (env.SKEIN_TEST_BEHAVIOUR === 'hang') return new Promise(() => undefined);
    return { outputValues: { answeredBy: process.pid } };
  },
});
serveUntilSigterm(service, { allowExisting: true, stopGracePeriodMs: 500 });

// A participant's waiting code in its own process, apart from the service that receives its messages (as a function
// invocation is apart from the one a message reaches). Runs against the BUILT package (dist/, rebuilt by the
// integration global setup) over the GCS-compatible server, configured by environment:
//   SKEIN_TEST_GCS_URL, SKEIN_TEST_PROJECT, SKEIN_TEST_TOPIC, PUBSUB_EMULATOR_HOST, SKEIN_TEST_SERVICE_ID,
//   SKEIN_TEST_MAILBOX_ROOT, SKEIN_TEST_CONTEXT (the federation context as JSON), SKEIN_TEST_SENDER.
// It joins the analysis, prints READY, waits for the sender's `round` messages and prints them as one JSON line.
'use strict';

const { PubSubTransport } = require('../../../../dist/src/cloud/pubsub');
const { GcsObjectStore } = require('../../../../dist/src/cloud/storage');
const { createTestServiceAccount } = require('../../../../dist/src/emulators/service-account');
const { Federation } = require('../../../../dist/src/federation');
const { resolveFederationOptions } = require('../../../../dist/src/federation/options');

const env = process.env;

async function main() {
  const transport = new PubSubTransport({
    projectId: env.SKEIN_TEST_PROJECT,
    topicName: env.SKEIN_TEST_TOPIC,
    apiEndpoint: env.PUBSUB_EMULATOR_HOST,
  });
  const objectStore = new GcsObjectStore({
    projectId: env.SKEIN_TEST_PROJECT,
    apiEndpoint: env.SKEIN_TEST_GCS_URL,
    credentials: createTestServiceAccount({ projectId: env.SKEIN_TEST_PROJECT }).credentials,
  });
  const federation = await Federation.join({
    options: resolveFederationOptions({
      serviceId: env.SKEIN_TEST_SERVICE_ID,
      transport,
      objectStore,
      mailboxRoot: env.SKEIN_TEST_MAILBOX_ROOT,
      projectId: 'weather',
    }),
    context: JSON.parse(env.SKEIN_TEST_CONTEXT),
    role: 'default',
  });
  process.stdout.write('READY\n');
  const sender = env.SKEIN_TEST_SENDER;
  const received = await federation.awaitMessages([sender], 'round', { timeout: 120 });
  process.stdout.write(`${JSON.stringify((received[sender] ?? []).map((message) => message.body))}\n`);
  await federation.close();
  await transport.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);

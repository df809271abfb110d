// A child service in its own process, for the parent/child integration tests. It runs against the BUILT package
// (dist/, rebuilt by the integration global setup) over the Pub/Sub emulator and is configured by environment:
//   PUBSUB_EMULATOR_HOST, SKEIN_TEST_PROJECT, SKEIN_TEST_TOPIC, SKEIN_TEST_SERVICE_ID (its SRUID),
//   SKEIN_TEST_BEHAVIOUR: `echo` (log, send a monitor message, answer {echo: inputs}; fail when inputs.fail is set)
//   or `middle` (ask SKEIN_TEST_GRANDCHILD_ID the same question and answer {fromGrandchild: its output values}).
// It prints READY once it listens and stops serving (deleting its subscription) on SIGTERM.
'use strict';

const { PubSubTransport } = require('../../../../dist/src/cloud/pubsub');
const { InvalidValuesContents } = require('../../../../dist/src/errors');
const { Service, createLogger, streamLogSink } = require('../../../../dist/src/service');
const { Child } = require('../../../../dist/src/service/child');

const env = process.env;
const serviceId = env.SKEIN_TEST_SERVICE_ID;
const transport = new PubSubTransport({
  projectId: env.SKEIN_TEST_PROJECT,
  topicName: env.SKEIN_TEST_TOPIC,
  apiEndpoint: env.PUBSUB_EMULATOR_HOST,
});
const logger = createLogger({
  name: 'child-process',
  sinks: [{ sink: streamLogSink(process.stderr), level: 'warning' }],
});
const appLogger = createLogger({ name: 'app' });

async function echo({ inputValues, handleMonitorMessage }) {
  appLogger.info('Received %s.', JSON.stringify(inputValues));
  handleMonitorMessage({ progress: 1 });
  if (inputValues && inputValues.fail) throw new InvalidValuesContents(`The input ${inputValues.fail} is not allowed.`);
  return { outputValues: { echo: inputValues } };
}

async function middle({ inputValues, analysisId, originatorQuestionUuid, originator }) {
  appLogger.info('Asking the grandchild.');
  const grandchild = new Child({ id: env.SKEIN_TEST_GRANDCHILD_ID, transport, parentSruid: serviceId, logger });
  const { answer } = await grandchild.ask({
    inputValues,
    parentQuestionUuid: analysisId,
    originatorQuestionUuid,
    originator,
    timeout: 60,
  });
  return { outputValues: { fromGrandchild: answer.outputValues } };
}

const service = new Service({
  serviceId,
  transport,
  runFunction: env.SKEIN_TEST_BEHAVIOUR === 'middle' ? middle : echo,
  logger,
});
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());

service
  .serve({
    signal: controller.signal,
    deleteSubscriptionOnExit: true,
    onReady: () => process.stdout.write('READY\n'),
  })
  .then(() => transport.close())
  .then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );

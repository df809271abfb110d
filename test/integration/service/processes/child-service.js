// A child service in its own process, for the parent/child integration tests. It runs against the BUILT package
// (dist/, rebuilt by the integration global setup) over the Pub/Sub emulator and is configured by environment:
//   PUBSUB_EMULATOR_HOST, SKEIN_TEST_PROJECT, SKEIN_TEST_TOPIC, SKEIN_TEST_SERVICE_ID (its SRUID),
//   SKEIN_TEST_BEHAVIOUR: `echo` (log, send a monitor message, answer {echo: inputs}; fail when inputs.fail is set)
//   or `middle` (ask SKEIN_TEST_GRANDCHILD_ID the same question and answer {fromGrandchild: its output values}).
// It prints READY once it listens and stops serving (deleting its subscription) on SIGTERM.
'use strict';

const { InvalidValuesContents } = require('../../../../dist/src/errors');
const { Service, createLogger } = require('../../../../dist/src/service');
const { Child } = require('../../../../dist/src/service/child');
const { emulatorTransport, serveUntilSigterm, stderrLogger } = require('./serve-process');

const env = process.env;
const serviceId = env.SKEIN_TEST_SERVICE_ID;
const transport = emulatorTransport(env);
const logger = stderrLogger('child-process');
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
serveUntilSigterm(service, { deleteSubscriptionOnExit: true }, { afterServe: () => transport.close() });

/**
 * The files `skein init` writes for a new service: a small JavaScript service (no build step) that summarises a list
 * of numbers, with its twine, configuration, Cloud Run function entry point, a serverless.yml fragment and tests
 * (node's built-in runner) that run the app and replay a recorded answer with the child emulator.
 */

/** Who the new service is. */
export interface ServiceIdentity {
  /** e.g. `acme`. */
  readonly namespace: string;
  /** e.g. `number-stats`. */
  readonly name: string;
  /** The revision tag it is deployed and recorded as, e.g. `0.1.0`. */
  readonly revisionTag: string;
  /** The Skein version the package depends on. */
  readonly skeinVersion: string;
}

/** The example question the templates, README and recorded answer use. */
export const EXAMPLE_INPUT_VALUES = { numbers: [1, 2, 3, 4] } as const;

/**
 * The function's export name: the service name in camel case (`number-stats` → `numberStats`).
 * @param name - The service name.
 * @returns The export name.
 */
export function functionName(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

const TWINE = {
  input_values_schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Numbers to summarise',
    type: 'object',
    properties: {
      numbers: { description: 'The numbers.', type: 'array', items: { type: 'number' }, minItems: 1 },
    },
    required: ['numbers'],
  },
  output_values_schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Summary',
    type: 'object',
    properties: {
      count: { type: 'integer', minimum: 1 },
      mean: { type: 'number' },
      minimum: { type: 'number' },
      maximum: { type: 'number' },
    },
    required: ['count', 'mean', 'minimum', 'maximum'],
  },
  monitor_message_schema: {
    type: 'object',
    properties: { status: { type: 'string' } },
    required: ['status'],
  },
};

function packageJson(identity: ServiceIdentity): string {
  return json({
    name: identity.name,
    version: identity.revisionTag,
    private: true,
    description: `The ${identity.namespace}/${identity.name} data service (made with skein init).`,
    main: 'functions/index.js',
    scripts: {
      test: 'node --test test/',
      'run-once': 'skein run -i input-values.json',
      'ask-local': 'skein ask-local -i input-values.json',
      start: `skein start --revision-tag ${identity.revisionTag}`,
      types: 'skein twine types twine.json -o twine-types.d.ts',
    },
    dependencies: { skein: `^${identity.skeinVersion}` },
    engines: { node: '>=20' },
  });
}

function octueYaml(identity: ServiceIdentity): string {
  return [
    '# The service configuration (Octue format) that `skein run`, `skein ask-local` and `skein start` read.',
    'services:',
    `  - namespace: ${identity.namespace}`,
    `    name: ${identity.name}`,
    '    app_source_path: app',
    '    twine_path: twine.json',
    '    # output_location: gs://my-bucket/outputs           # where output datasets are uploaded',
    '    # diagnostics_cloud_path: gs://my-bucket/diagnostics # where crash diagnostics are saved',
    '',
  ].join('\n');
}

const APP = `// @ts-check
// The app: Skein validates the inputs against twine.json, calls run(analysis), then validates the outputs.
// twine-types.d.ts (\`npm run types\`) types analysis.inputValues and analysis.outputValues from the twine.

/** @param {import('../twine-types').TypedAnalysis} analysis */
exports.run = async function run(analysis) {
  const { numbers } = analysis.inputValues;
  analysis.logger.info('Summarising %d numbers.', numbers.length);
  analysis.sendMonitorMessage({ status: 'summarising' });
  const total = numbers.reduce((sum, number) => sum + number, 0);
  analysis.outputValues = {
    count: numbers.length,
    mean: total / numbers.length,
    minimum: Math.min(...numbers),
    maximum: Math.max(...numbers),
  };
};
`;

function functionsIndex(identity: ServiceIdentity): string {
  return `// The service as a Cloud Run function, triggered by CloudEvents from its Pub/Sub push subscription:
// environment → settings → Pub/Sub and Cloud Storage adapters → Service → handler. The identity, project and topic
// come from the environment only; the service is built on the first event addressed to it (the cold start) and reused
// afterwards. serverless.yml names this export as the function's handler.
const path = require('node:path');

const { GcsObjectStore, PubSubTransport, serviceFromConfiguration } = require('skein');
const { functionHandlers, functionLogger, resolveFunctionSettings } = require('skein/functions');

/** The SRUID the function answers as unless OCTUE_SERVICE_NAMESPACE / _NAME / _REVISION_TAG say otherwise. */
const IDENTITY = { namespace: '${identity.namespace}', name: '${identity.name}', revisionTag: '${identity.revisionTag}' };
const ROOT = path.join(__dirname, '..');
const logger = functionLogger();

function buildService() {
  const settings = resolveFunctionSettings({ env: process.env, identity: IDENTITY, logger });
  const { projectId, topicName } = settings;
  return serviceFromConfiguration({
    configuration: settings.configuration,
    serviceId: settings.serviceId,
    transport: new PubSubTransport({ projectId, topicName, apiEndpoint: settings.pubsubEndpoint }),
    objectStore: new GcsObjectStore({ projectId, apiEndpoint: settings.storageEndpoint }),
    logger,
    runnerOptions: { app: path.join(ROOT, 'app'), twine: path.join(ROOT, 'twine.json') },
  });
}

exports.${functionName(identity.name)} = functionHandlers({
  service: {
    // Known before anything is built, so messages for other services are dropped without building.
    serviceId: () => resolveFunctionSettings({ env: process.env, identity: IDENTITY }).serviceId,
    build: buildService,
  },
  logger,
}).cloudEvent;
`;
}

function serverlessFragment(identity: ServiceIdentity): string {
  return `# Add this function to the \`functions:\` of your serverless.yml (the provider and custom.skein settings are in
# Skein's own serverless.yml). \`handler\` names the export of functions/index.js; \`sruid\` is what parents ask.
functions:
  ${functionName(identity.name)}:
    handler: ${functionName(identity.name)}
    sruid: ${identity.namespace}/${identity.name}:${identity.revisionTag}
    twine: twine.json
    description: ${identity.namespace}/${identity.name} (made with skein init)
    memorySize: 512
    timeout: 540
`;
}

const TEST = `// The service's tests, run by \`npm test\` (node's built-in test runner), with no cloud and no emulators.
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');

const { ChildEmulator, Runner } = require('skein');

const ROOT = path.join(__dirname, '..');
const inputValues = JSON.parse(readFileSync(path.join(ROOT, 'input-values.json'), 'utf8'));

function runner() {
  return new Runner({ app: path.join(ROOT, 'app'), twine: path.join(ROOT, 'twine.json') });
}

test('the app summarises the numbers and reports its progress', async () => {
  const monitorMessages = [];
  const analysis = await runner().run({ inputValues, handleMonitorMessage: (data) => monitorMessages.push(data) });
  assert.deepEqual(analysis.outputValues, { count: 4, mean: 2.5, minimum: 1, maximum: 4 });
  assert.deepEqual(monitorMessages, [{ status: 'summarising' }]);
});

test('inputs that break the twine are refused before the app runs', async () => {
  await assert.rejects(runner().run({ inputValues: { numbers: [] } }), { name: 'InvalidValuesContents' });
});

test('the recorded answer that parents replay still matches the app', async () => {
  // fixtures/answer-events.json is what a parent receives when it asks this service about input-values.json. A parent's
  // tests replay it with ChildEmulator (a drop-in for Child) instead of asking the live service. When the app
  // changes, record it again: skein ask <sruid> -i input-values.json --record test/fixtures/answer-events.json
  const child = await ChildEmulator.fromFile(path.join(__dirname, 'fixtures', 'answer-events.json'));
  const monitorMessages = [];
  const { answer } = await child.ask({ inputValues, handleMonitorMessage: (data) => monitorMessages.push(data) });
  const analysis = await runner().run({ inputValues });
  assert.deepEqual(answer.outputValues, analysis.outputValues);
  assert.deepEqual(monitorMessages, [{ status: 'summarising' }]);
});
`;

function readme(identity: ServiceIdentity): string {
  const sruid = `${identity.namespace}/${identity.name}:${identity.revisionTag}`;
  return `# ${identity.namespace}/${identity.name}

A Skein data service (made with \`skein init\`): it summarises a list of numbers.

| file | what it is |
| --- | --- |
| \`twine.json\` | what the service takes and gives: input values, output values, monitor messages |
| \`app/app.js\` | the app: \`run(analysis)\` |
| \`octue.yaml\` | the service configuration (namespace, name, app, twine, output and diagnostics locations) |
| \`twine-types.d.ts\` | TypeScript types for the twine's strands (\`npm run types\` regenerates them) |
| \`functions/index.js\` | the Cloud Run function entry point |
| \`serverless.yml\` | the function's entry for a Skein serverless.yml |
| \`test/\` | tests, and \`fixtures/answer-events.json\`, a recorded answer parents can replay |

\`\`\`sh
npm install
npm test                                        # the app, the twine and the recorded answer
npx skein run -i input-values.json              # run the app once and print its outputs
npx skein ask-local -i input-values.json        # answer one question as the service would
npx skein emulators start                       # in another shell: local Pub/Sub and Cloud Storage
npx skein start --revision-tag ${identity.revisionTag}              # serve questions from the services topic
npx skein ask ${sruid} -i input-values.json
\`\`\`
`;
}

/**
 * Every file of a new service except the generated types and the recorded answer, by path relative to its directory.
 * @param identity - The service's namespace, name, revision tag and the Skein version to depend on.
 * @returns The files.
 */
export function serviceTemplates(identity: ServiceIdentity): Record<string, string> {
  return {
    'package.json': packageJson(identity),
    'octue.yaml': octueYaml(identity),
    'twine.json': json(TWINE),
    'input-values.json': json(EXAMPLE_INPUT_VALUES),
    'app/app.js': APP,
    'functions/index.js': functionsIndex(identity),
    'serverless.yml': serverlessFragment(identity),
    'test/app.test.js': TEST,
    'README.md': readme(identity),
    '.gitignore': 'node_modules/\n',
  };
}

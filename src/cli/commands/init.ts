import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

import type { Command } from 'commander';

import { InMemoryBroker, InMemoryTransport } from '../../cloud/memory';
import { DISALLOWED_NAMESPACES, loadServiceConfiguration } from '../../core/config';
import { createSruid, validateName, validateNamespace, validateRevisionTag } from '../../core/service-id';
import { resolveServicesTopicName } from '../../core/topology';
import { Twine } from '../../core/twine';
import { InvalidInputException, InvalidServiceID } from '../../errors';
import { Child } from '../../service/child';
import { saveRecordedEvents } from '../../service/child-emulator';
import { serviceFromConfiguration } from '../../service/configuration';
import type { CliContext } from '../context';
import { writeOutputFile } from '../files';
import { EXAMPLE_INPUT_VALUES, serviceTemplates } from '../init/templates';
import type { ServiceIdentity } from '../init/templates';
import { packageVersion } from '../package-version';
import { generateTwineTypes } from '../twine-types';

interface InitOptions {
  readonly namespace: string;
  readonly name?: string;
  readonly revisionTag: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

/** Where the recorded answer of the example question goes, relative to the service's directory. */
const RECORDED_ANSWER = 'test/fixtures/answer-events.json';

function checkIdentity(identity: ServiceIdentity): void {
  validateNamespace(identity.namespace);
  validateName(identity.name);
  validateRevisionTag(identity.revisionTag);
  if (DISALLOWED_NAMESPACES.includes(identity.namespace)) {
    throw new InvalidServiceID(
      `The namespace '${identity.namespace}' is reserved for Octue's examples: choose your own with --namespace.`,
    );
  }
}

function checkDirectory(directory: string, force: boolean): void {
  if (!existsSync(directory)) return;
  if (!statSync(directory).isDirectory()) {
    throw new InvalidInputException(`'${directory}' is a file: give the path of a new directory for the service.`);
  }
  if (!force && readdirSync(directory).length > 0) {
    throw new InvalidInputException(
      `The directory '${directory}' is not empty: give a new directory, or pass --force to write the service's files ` +
        'into it (files with the same names are replaced).',
    );
  }
}

// Asks the new service the example question in this process (in-memory transport) and records the events a parent
// receives, so the service's tests (and its parents') can replay a real answer with the child emulator.
async function recordExampleAnswer(
  directory: string,
  identity: ServiceIdentity,
  env: CliContext['env'],
): Promise<void> {
  const { configuration } = loadServiceConfiguration({
    path: join(directory, 'octue.yaml'),
    env: {},
    overrides: { revisionTag: identity.revisionTag },
    cwd: directory,
  });
  const serviceId = createSruid(identity);
  const transport = new InMemoryTransport({
    topicName: resolveServicesTopicName({ env }),
    broker: new InMemoryBroker(),
  });
  await transport.ensureTopic();
  const service = serviceFromConfiguration({ configuration, transport, serviceId });
  const controller = new AbortController();
  let serving: Promise<void> = Promise.resolve();
  await new Promise<void>((ready, failed) => {
    serving = service.serve({ signal: controller.signal, onReady: () => ready() });
    serving.catch(failed);
  });
  const child = new Child({ id: serviceId, transport });
  try {
    await child.ask({ inputValues: EXAMPLE_INPUT_VALUES });
    await saveRecordedEvents(join(directory, RECORDED_ANSWER), child.receivedEvents);
  } finally {
    await child.close();
    controller.abort();
    await serving;
    await transport.close();
  }
}

async function initCommand(context: CliContext, target: string, options: InitOptions): Promise<void> {
  const directory = resolve(target);
  const identity: ServiceIdentity = {
    namespace: options.namespace,
    name: options.name ?? basename(directory),
    revisionTag: options.revisionTag,
    skeinVersion: packageVersion(),
  };
  checkIdentity(identity);
  checkDirectory(directory, options.force === true);
  const files = serviceTemplates(identity);
  for (const [path, text] of Object.entries(files)) writeOutputFile(join(directory, path), text);
  const twine = new Twine(join(directory, 'twine.json'));
  writeOutputFile(join(directory, 'twine-types.d.ts'), await generateTwineTypes(twine, { source: 'twine.json' }));
  await recordExampleAnswer(directory, identity, context.env);
  const written = [...Object.keys(files), 'twine-types.d.ts', RECORDED_ANSWER].sort();
  const serviceId = createSruid(identity);
  if (options.json === true) {
    context.io.out(`${JSON.stringify({ directory, service_id: serviceId, files: written }, null, 2)}\n`);
    return;
  }
  const shown = relative(process.cwd(), directory) || '.';
  context.io.out(
    [
      `Created the service ${serviceId} in ${shown}:`,
      ...written.map((file) => `  ${file}`),
      '',
      'Next:',
      `  cd ${shown}`,
      '  npm install',
      '  npm test',
      '  npx skein run -i input-values.json',
      '',
    ].join('\n'),
  );
}

/**
 * Adds `skein init <dir>`: scaffolds a new service that passes its own tests straight away.
 * @param program - The root command.
 * @param context - Output streams and environment.
 */
export function registerInitCommand(program: Command, context: CliContext): void {
  program
    .command('init')
    .description(
      'Create a new service in <dir>: twine, app, octue.yaml, typed strands, a Cloud Run function entry point, a ' +
        'serverless.yml fragment and tests (including a recorded answer replayed with the child emulator).',
    )
    .argument('<dir>', 'the directory to create (its name is the service name unless --name is given)')
    .option('--namespace <namespace>', "the service's namespace (lower kebab case)", 'my-organisation')
    .option('--name <name>', "the service's name (lower kebab case; default the directory's name)")
    .option('--revision-tag <tag>', 'the revision tag to deploy and record the example answer as', '0.1.0')
    .option('--force', 'write into a directory that is not empty')
    .option('--json', 'print {"directory", "service_id", "files"} instead')
    .addHelpText(
      'after',
      '\nExit codes: 0 created, 1 an invalid name or namespace, or a directory that is not empty, 2 unusable ' +
        'arguments.',
    )
    .action((target: string, options: InitOptions) => initCommand(context, target, options));
}

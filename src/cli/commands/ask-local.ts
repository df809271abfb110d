import type { Command } from 'commander';

import { InMemoryBroker, InMemoryTransport } from '../../cloud/memory';
import { makeQuestionAttributes, makeQuestionEvent } from '../../core/events';
import type { ManifestPrimitive } from '../../core/events';
import { createSruid } from '../../core/service-id';
import { resolveServicesTopicName } from '../../core/topology';
import { InvalidInputException } from '../../errors';
import { serviceFromConfiguration } from '../../service/configuration';
import { LazyChildren, objectStore, pubSubTransport, resolveProjectId, secretSource } from '../adapters';
import { printOctueJson } from '../answers';
import { loadCommandConfiguration } from '../configuration';
import type { CliContext } from '../context';
import { parseJsonObjectArgument, readStrandOption } from '../inputs';
import { cliLogger } from '../logging';

interface AskLocalOptions {
  readonly inputValues?: string;
  readonly inputManifest?: string;
  readonly attributes?: Record<string, unknown>;
  readonly serviceConfig?: string;
  readonly projectId?: string;
  readonly storageEndpoint?: string;
  readonly localStorage?: string;
  readonly json?: boolean;
}

async function askLocalCommand(context: CliContext, options: AskLocalOptions, command: Command): Promise<void> {
  const logger = cliLogger(context, command);
  const inputValues = readStrandOption(options.inputValues, 'input_values');
  const inputManifest = readStrandOption(options.inputManifest, 'input_manifest') as ManifestPrimitive | undefined;
  const configuration = loadCommandConfiguration(context, { path: options.serviceConfig }, logger);
  const store = objectStore(context.env, {
    storageEndpoint: options.storageEndpoint,
    localStorage: options.localStorage,
    projectId: options.projectId ?? configuration.projectId,
  });
  // The service answers over an in-memory transport of its own; only its children (if asked) need Pub/Sub.
  const transport = new InMemoryTransport({
    topicName: resolveServicesTopicName({ env: context.env }),
    broker: new InMemoryBroker(),
  });
  const children = new LazyChildren(() => {
    const projectId = resolveProjectId(context.env, options.projectId ?? configuration.projectId);
    return { transport: pubSubTransport(context.env, projectId), objectStore: store, logger: logger.child('child') };
  });
  const secrets = secretSource(context.env, options.projectId ?? configuration.projectId);
  try {
    await transport.ensureTopic();
    const service = serviceFromConfiguration({
      configuration,
      transport,
      objectStore: store,
      secretSource: secrets,
      childFactory: children.factory,
      logger,
    });
    const event = makeQuestionEvent({ inputValues, inputManifest });
    // As Octue's ask-local: the attributes given, or those of an originator question from a new local parent.
    const attributes: Readonly<Record<string, unknown>> = options.attributes ?? {
      ...makeQuestionAttributes({ sender: createSruid(), recipient: service.id }),
    };
    const outcome = await service.answer({ event, attributes });
    if (outcome.status === 'answered') {
      const result = outcome.result;
      printOctueJson(context, options.json === true ? { question_uuid: outcome.questionUuid, result } : result);
      return;
    }
    if (outcome.status === 'duplicate') {
      throw new InvalidInputException(`Question ${outcome.questionUuid} was already answered; it was not run again.`);
    }
    if (outcome.status === 'deferred') {
      throw new InvalidInputException(`Question ${outcome.questionUuid} is being answered elsewhere; it was not run.`);
    }
    throw outcome.error;
  } finally {
    await children.close();
    await secrets?.close();
    await transport.close();
  }
}

/**
 * Adds `skein ask-local`: answers one question in this process with the configured service (as Octue's
 * `question ask-local`), over an in-memory transport, and prints the result event.
 * @param program - The root command.
 * @param context - Output streams, environment and hooks.
 */
export function registerAskLocalCommand(program: Command, context: CliContext): void {
  program
    .command('ask-local')
    .description(
      'Answer one question in this process with the service configured in octue.yaml (no subscription) and print ' +
        'the result event as JSON. Logs go to standard error.',
    )
    .option('-i, --input-values <json>', 'the input values: JSON text, or a file ending in .json')
    .option('-m, --input-manifest <json>', 'the input manifest: JSON text, or a file ending in .json')
    .option(
      '-a, --attributes <json>',
      "the question's full attributes as a JSON object (default: an originator question from a new local parent)",
      parseJsonObjectArgument,
    )
    .option(
      '-c, --service-config <file>',
      'the octue.yaml (default OCTUE_SERVICE_CONFIGURATION_PATH, else ./octue.yaml)',
    )
    .option('-p, --project-id <id>', "the Google Cloud project for the app's children and storage")
    .option('--storage-endpoint <url>', 'a GCS-compatible server for gs:// paths (default STORAGE_EMULATOR_HOST)')
    .option('--local-storage <dir>', 'serve gs:// paths from this directory instead of Cloud Storage')
    .option('--json', 'print {"question_uuid", "result"} instead')
    .addHelpText(
      'after',
      '\nExit codes: 0 answered, 1 the configuration, the question or the app failed (the error is printed), 2 ' +
        'unusable arguments (such as a missing octue.yaml).',
    )
    .action((options: AskLocalOptions, command: Command) => askLocalCommand(context, options, command));
}

import type { Command } from 'commander';

import { resolveEnvironmentOptions } from '../../core/config';
import type { ManifestPrimitive } from '../../core/events';
import { Child } from '../../service/child';
import { saveRecordedEvents } from '../../service/child-emulator';
import type { QuestionAnswer } from '../../service/event-handler';
import { objectStore, pubSubTransport, resolveProjectId } from '../adapters';
import { printableQuestionAnswer, printOctueJson } from '../answers';
import type { CliContext } from '../context';
import { parseSecondsArgument, readStrandOption } from '../inputs';
import { cliLogger } from '../logging';

interface AskOptions {
  readonly inputValues?: string;
  readonly inputManifest?: string;
  readonly projectId?: string;
  readonly asynchronous?: boolean;
  readonly record?: string;
  readonly timeout?: number;
  readonly allowLocalFiles?: boolean;
  readonly storageEndpoint?: string;
  readonly json?: boolean;
}

async function askCommand(context: CliContext, sruid: string, options: AskOptions, command: Command): Promise<void> {
  const logger = cliLogger(context, command);
  const inputValues = readStrandOption(options.inputValues, 'input_values');
  const inputManifest = readStrandOption(options.inputManifest, 'input_manifest') as ManifestPrimitive | undefined;
  const projectId = resolveProjectId(context.env, options.projectId);
  const transport = pubSubTransport(context.env, projectId);
  // The answer is checked as a served question would be, against the same settings taken from the environment
  // (SKEIN_ALLOWED_LOCAL_ROOTS, _URL_HOSTS, _BUCKETS): by default no local path or unsigned URL in it is read.
  const allowances = resolveEnvironmentOptions(['allowedLocalRoots', 'allowedUrlHosts', 'allowedBuckets'], {
    env: context.env,
  });
  const child = new Child({
    id: sruid,
    transport,
    objectStore: objectStore(context.env, { storageEndpoint: options.storageEndpoint, projectId }),
    logger: logger.child('child'),
    allowedLocalRoots: allowances.allowedLocalRoots,
    allowedUrlHosts: allowances.allowedUrlHosts,
    ...(allowances.allowedBuckets === undefined ? {} : { allowedBuckets: allowances.allowedBuckets }),
  });
  try {
    const { answer, questionUuid } = await child.ask({
      inputValues,
      inputManifest,
      allowLocalFiles: options.allowLocalFiles === true,
      handleMonitorMessage: (data) => logger.info('Monitor message from %s: %s', sruid, JSON.stringify(data)),
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(options.asynchronous === true ? { asynchronous: true as const } : {}),
    });
    // Errors are thrown (raiseErrors is on), so the answer is an answer or null (asynchronous).
    const printable = answer === null ? null : printableQuestionAnswer(answer as QuestionAnswer);
    if (options.json === true) {
      printOctueJson(context, { question_uuid: questionUuid, answer: printable });
    } else if (printable === null) {
      context.io.out(`${questionUuid}\n`);
    } else {
      printOctueJson(context, printable);
    }
  } finally {
    // The recording is most useful when the question failed, so it is written either way.
    if (options.record !== undefined) {
      const events = child.receivedEvents;
      if (events !== undefined && events.length > 0) {
        await saveRecordedEvents(options.record, events);
        logger.info('Recorded %d events to %s.', events.length, options.record);
      } else {
        logger.warning('No events were received, so none were recorded to %s.', options.record);
      }
    }
    await child.close();
    await transport.close();
  }
}

/**
 * Adds `skein ask <sruid>`: asks a service a question over Pub/Sub (the emulator when `PUBSUB_EMULATOR_HOST` is set)
 * and prints the answer, as `octue twined question ask`.
 * @param program - The root command.
 * @param context - Output streams, environment and hooks.
 */
export function registerAskCommand(program: Command, context: CliContext): void {
  program
    .command('ask')
    .description(
      'Ask a service a question over Pub/Sub and print its answer as JSON ({"output_values", "output_manifest"}), ' +
        'or the question uuid with --asynchronous. Logs and monitor messages go to standard error.',
    )
    .argument('<sruid>', 'the service revision to ask, e.g. acme/wind-speed:1.2.0')
    .option('-i, --input-values <json>', 'the input values: JSON text, or a file ending in .json')
    .option('-m, --input-manifest <json>', 'the input manifest: JSON text, or a file ending in .json')
    .option('-p, --project-id <id>', 'the Google Cloud project (default GOOGLE_CLOUD_PROJECT; demo-skein on emulators)')
    .option('--asynchronous', 'publish the question and print its uuid without waiting for the answer')
    .option('--record <file>', "save the events received to this file (Octue's {event, attributes} list)")
    .option(
      '--timeout <seconds>',
      'give up waiting for the answer after this long (default one day)',
      parseSecondsArgument,
    )
    .option('--allow-local-files', 'allow local datasets in the input manifest (the child must be able to read them)')
    .option(
      '--storage-endpoint <url>',
      'a GCS-compatible server for signing dataset URLs (default STORAGE_EMULATOR_HOST)',
    )
    .option('--json', 'print {"question_uuid", "answer"} instead')
    .addHelpText(
      'after',
      '\nExit codes: 0 answered, 1 the question failed (the remote error is printed) or timed out, 2 unusable ' +
        'arguments.',
    )
    .action((sruid: string, options: AskOptions, command: Command) => askCommand(context, sruid, options, command));
}

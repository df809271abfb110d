import { resolve } from 'node:path';

import type { Command } from 'commander';

import { PubSubTransport } from '../../cloud/pubsub';
import { GcsObjectStore } from '../../cloud/storage';
import { resolveServicesTopicName, SERVICES_TOPIC_ENV } from '../../core/topology';
import { startGcsServer } from '../../emulators/gcs-server';
import type { RunningGcsServer } from '../../emulators/gcs-server';
import { startPubSubEmulator } from '../../emulators/pubsub-emulator';
import type { RunningPubSubEmulator } from '../../emulators/pubsub-emulator';
import { createTestServiceAccount } from '../../emulators/service-account';
import {
  EMULATOR_PROJECT_ID,
  PROJECT_ENV,
  PUBSUB_EMULATOR_ENV,
  STORAGE_EMULATOR_ENV,
  skipMetadataServerDetection,
} from '../adapters';
import type { CliContext, StopSignalName } from '../context';
import { parsePortArgument } from '../inputs';

interface EmulatorsOptions {
  readonly pubsubPort?: number;
  readonly gcsPort?: number;
  readonly gcsDir?: string;
  readonly projectId: string;
  readonly bucket: string[];
  readonly json?: boolean;
}

interface Running {
  readonly pubsub: RunningPubSubEmulator;
  readonly gcs: RunningGcsServer;
}

async function startBoth(options: EmulatorsOptions): Promise<Running> {
  const started = await Promise.allSettled([
    startPubSubEmulator(options.pubsubPort === undefined ? {} : { port: options.pubsubPort }),
    startGcsServer({
      port: options.gcsPort ?? 0,
      projectId: options.projectId,
      ...(options.gcsDir === undefined ? {} : { directory: resolve(options.gcsDir) }),
    }),
  ]);
  const [pubsub, gcs] = started;
  if (pubsub.status === 'fulfilled' && gcs.status === 'fulfilled') return { pubsub: pubsub.value, gcs: gcs.value };
  // Never leave one running when the other failed.
  await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  throw (pubsub.status === 'rejected' ? pubsub.reason : (gcs as PromiseRejectedResult).reason) as Error;
}

async function prepare(context: CliContext, running: Running, options: EmulatorsOptions): Promise<string> {
  skipMetadataServerDetection(context.env);
  const transport = new PubSubTransport({
    projectId: options.projectId,
    topicName: resolveServicesTopicName({ env: context.env }),
    apiEndpoint: running.pubsub.host,
  });
  try {
    await transport.ensureTopic();
  } finally {
    await transport.close();
  }
  if (options.bucket.length > 0) {
    const { credentials } = createTestServiceAccount({ projectId: options.projectId });
    const store = new GcsObjectStore({ projectId: options.projectId, apiEndpoint: running.gcs.url, credentials });
    for (const bucket of options.bucket) await store.storage.createBucket(bucket);
  }
  return transport.topicName;
}

// Listens from the start, so a Ctrl-C during start-up still stops whatever has started.
function stopSignal(context: CliContext): { readonly received: Promise<StopSignalName>; remove(): void } {
  let remove: (() => void) | undefined;
  const received = new Promise<StopSignalName>((resolveSignal) => {
    remove = context.hooks.onStopSignal?.(resolveSignal);
  });
  return { received, remove: () => remove?.() };
}

async function emulatorsStartCommand(context: CliContext, options: EmulatorsOptions): Promise<void> {
  const stop = stopSignal(context);
  let running: Running;
  try {
    running = await startBoth(options);
  } catch (error) {
    stop.remove();
    throw error;
  }
  try {
    const topic = await prepare(context, running, options);
    const env = {
      [PUBSUB_EMULATOR_ENV]: running.pubsub.host,
      [STORAGE_EMULATOR_ENV]: running.gcs.url,
      [PROJECT_ENV]: options.projectId,
      [SERVICES_TOPIC_ENV]: topic,
    };
    if (options.json === true) {
      const description = {
        event: 'ready',
        env,
        project_id: options.projectId,
        topic,
        buckets: options.bucket,
        pubsub: { host: running.pubsub.host, pid: running.pubsub.pid },
        gcs: { url: running.gcs.url, port: running.gcs.port, storage: running.gcs.backendKind },
      };
      context.io.out(`${JSON.stringify(description)}\n`);
    } else {
      context.io.err(
        `The Pub/Sub emulator (${running.pubsub.host}) and the GCS server (${running.gcs.url}) are running, with the ` +
          `topic ${topic} in the project ${options.projectId}. In another shell, export:\n`,
      );
      context.io.out(
        Object.entries(env)
          .map(([name, value]) => `export ${name}=${value}\n`)
          .join(''),
      );
      context.io.err('Press Ctrl-C to stop both.\n');
    }
    const signal = await stop.received;
    context.io.err(`Received ${signal}: stopping the emulators.\n`);
  } finally {
    stop.remove();
    await Promise.all([running.pubsub.stop(), running.gcs.stop()]);
  }
  if (options.json === true) context.io.out(`${JSON.stringify({ event: 'stopped' })}\n`);
  else context.io.err('Stopped the Pub/Sub emulator and the GCS server.\n');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Adds the `emulators` command group: `skein emulators start` runs the Pub/Sub emulator and Skein's GCS-compatible
 * server, creates the services topic, prints the environment to export and stops both on Ctrl-C.
 * @param program - The root command.
 * @param context - Output streams, environment and hooks (stop signals).
 */
export function registerEmulatorsCommands(program: Command, context: CliContext): void {
  const emulators = program.command('emulators').description('Run local stand-ins for Pub/Sub and Cloud Storage.');
  emulators
    .command('start')
    .description(
      'Start the Pub/Sub emulator and the GCS-compatible server, create the services topic, print the environment ' +
        'variables to export, and stop both on Ctrl-C (SIGINT) or SIGTERM.',
    )
    .option('--pubsub-port <port>', 'the Pub/Sub emulator port (default a free one)', parsePortArgument)
    .option('--gcs-port <port>', 'the GCS server port (default a free one)', parsePortArgument)
    .option('--gcs-dir <dir>', 'keep the GCS server data in this directory (default in memory)')
    .option('-p, --project-id <id>', 'the project to create the topic in', EMULATOR_PROJECT_ID)
    .option('--bucket <name>', 'create this bucket in the GCS server (repeatable)', collect, [])
    .option('--json', 'print one JSON line when ready ({"env", "pubsub", "gcs", …}) and one when stopped')
    .addHelpText(
      'after',
      '\nRequires Java 17+ and the Google Cloud SDK Pub/Sub emulator component.\nExit codes: 0 started and stopped ' +
        'cleanly, 1 an emulator could not start, 2 unusable arguments.',
    )
    .action((options: EmulatorsOptions) => emulatorsStartCommand(context, options));
}

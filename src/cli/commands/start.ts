import type { Command } from 'commander';

import { SERVICE_REVISION_TAG_ENV } from '../../core/service-id';
import { ServiceAlreadyExists } from '../../errors';
import { federationForService } from '../../federation';
import { serviceFromConfiguration, serviceIdFromConfiguration } from '../../service/configuration';
import { LazyChildren, objectStore, pubSubTransport, resolveProjectId, secretSource } from '../adapters';
import { loadCommandConfiguration } from '../configuration';
import type { CliContext } from '../context';
import { parseSecondsArgument } from '../inputs';
import { cliLogger } from '../logging';

/** How long stopping waits for the questions being answered before giving up on them. */
const STOP_GRACE_PERIOD_MS = 30_000;
/** How often the services topic is checked while serving (a deleted topic or a dead connection ends in recovery). */
const TOPIC_CHECK_INTERVAL_MS = 30_000;
interface StartOptions {
  readonly serviceConfig?: string;
  readonly revisionTag?: string;
  readonly timeout?: number;
  readonly rm: boolean;
  readonly allowExisting?: boolean;
  readonly projectId?: string;
  readonly storageEndpoint?: string;
  readonly json?: boolean;
}

async function startCommand(context: CliContext, options: StartOptions, command: Command): Promise<void> {
  const logger = cliLogger(context, command);
  const fromEnv = context.env[SERVICE_REVISION_TAG_ENV];
  if (options.revisionTag !== undefined && fromEnv) {
    logger.warning(
      'The `%s` environment variable %s has been overridden by the `--revision-tag` CLI option %s.',
      SERVICE_REVISION_TAG_ENV,
      JSON.stringify(fromEnv),
      JSON.stringify(options.revisionTag),
    );
  }
  const configuration = loadCommandConfiguration(
    context,
    {
      path: options.serviceConfig,
      overrides: options.revisionTag === undefined ? {} : { revisionTag: options.revisionTag },
    },
    logger,
  );
  const projectId = resolveProjectId(context.env, options.projectId ?? configuration.projectId);
  const transport = pubSubTransport(context.env, projectId);
  const store = objectStore(context.env, { storageEndpoint: options.storageEndpoint, projectId });
  // The app's children ask over the same transport the service answers on.
  const children = new LazyChildren(
    () => ({ transport, objectStore: store, logger: logger.child('child') }),
    async () => undefined,
  );
  const secrets = secretSource(context.env, projectId);
  const controller = new AbortController();
  let stoppedBy: string = options.timeout === undefined ? 'signal' : 'timeout';
  const removeListener = context.hooks.onStopSignal?.((signal) => {
    stoppedBy = signal;
    logger.info('Received %s: stopping once the questions being answered are answered.', signal);
    controller.abort();
  });
  try {
    const serviceId = serviceIdFromConfiguration(configuration);
    // With a federation project configured, federation messages and acknowledgements on the subscription go to the
    // mailbox writer, and the app's analyses get `analysis.federation`.
    const federation = federationForService({
      configuration,
      serviceId,
      transport,
      objectStore: store,
      logger: logger.child('federation'),
    });
    const service = serviceFromConfiguration({
      configuration,
      serviceId,
      transport,
      objectStore: store,
      secretSource: secrets,
      childFactory: children.factory,
      logger,
      runnerOptions: { analysisExtensions: federation.analysisExtensions },
      eventRoutes: federation.eventRoutes,
    });
    const print = (event: Record<string, unknown>, text: string): void => {
      context.io.out(options.json === true ? `${JSON.stringify(event)}\n` : `${text}\n`);
    };
    await service
      .serve({
        signal: controller.signal,
        ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout * 1000 }),
        allowExisting: options.allowExisting === true,
        deleteSubscriptionOnExit: options.rm,
        // An app that hangs must not keep the process from stopping for ever.
        stopGracePeriodMs: STOP_GRACE_PERIOD_MS,
        flowControl: {
          maxMessages: configuration.maxOutstandingMessages,
          maxBytes: configuration.maxOutstandingBytes,
        },
        // A long-running server rides out an emulator restart or a deleted subscription (default 5 attempts); when
        // recovery fails, serve() rejects and the command exits 1 with one line saying so.
        recovery: { attempts: configuration.subscriptionRecoveryAttempts },
        topicCheckIntervalMs: TOPIC_CHECK_INTERVAL_MS,
        onReady: (subscription) =>
          print(
            {
              event: 'ready',
              service_id: service.id,
              subscription,
              topic: transport.topicName,
              project_id: projectId,
              ...(federation.mailboxRoot === undefined ? {} : { federation_mailbox_root: federation.mailboxRoot }),
            },
            `Serving ${service.id} from the subscription ${subscription} on ${transport.topicName} (project ` +
              `${projectId}${federation.mailboxRoot === undefined ? '' : `, federation mailboxes in ${federation.mailboxRoot}`}). Stop with Ctrl-C.`,
          ),
      })
      .catch((error: unknown) => {
        if (!(error instanceof ServiceAlreadyExists)) throw error;
        throw new ServiceAlreadyExists(
          `The service ${service.id} is already being served (its subscription exists): stop the other instance, ` +
            'start this one with another --revision-tag, or pass --allow-existing to share its questions.',
          { serviceId: service.id, cause: error },
        );
      });
    print({ event: 'stopped', service_id: service.id, reason: stoppedBy }, `Stopped serving ${service.id}.`);
  } finally {
    removeListener?.();
    await children.close();
    await secrets?.close();
    // Closing waits for answers still running; after the grace period, exit without them (their questions are
    // redelivered to another instance, or retried by the parent).
    await Promise.race([transport.close(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  }
}

/**
 * Adds `skein start`: serves the configured service from its subscription on the services topic until stopped
 * (Ctrl-C, SIGTERM, or `--timeout`), as `octue twined service start`.
 * @param program - The root command.
 * @param context - Output streams, environment and hooks (stop signals).
 */
export function registerStartCommand(program: Command, context: CliContext): void {
  program
    .command('start')
    .description(
      'Serve the service configured in octue.yaml: answer the questions addressed to it on the services topic ' +
        '(Pub/Sub, or the emulator when PUBSUB_EMULATOR_HOST is set) until Ctrl-C, SIGTERM or --timeout.',
    )
    .option(
      '-c, --service-config <file>',
      'the octue.yaml (default OCTUE_SERVICE_CONFIGURATION_PATH, else ./octue.yaml)',
    )
    .option(
      '--revision-tag <tag>',
      'the revision tag to serve as (beats OCTUE_SERVICE_REVISION_TAG; default a generated two-word tag)',
    )
    .option('--timeout <seconds>', 'stop serving after this many seconds', parseSecondsArgument)
    .option('--no-rm', "keep the service's subscription when stopping (it is deleted by default)")
    .option('--allow-existing', "serve from the service's subscription even if it exists (another instance's)")
    .option('-p, --project-id <id>', 'the Google Cloud project (default GOOGLE_CLOUD_PROJECT; demo-skein on emulators)')
    .option('--storage-endpoint <url>', 'a GCS-compatible server for gs:// paths (default STORAGE_EMULATOR_HOST)')
    .option('--json', 'print the ready and stopped notices as JSON lines')
    .addHelpText(
      'after',
      '\nExit codes: 0 served and stopped cleanly, 1 the service could not start (e.g. no such topic, already ' +
        'served, invalid configuration) or its subscription was lost and could not be re-created ' +
        '(SKEIN_SUBSCRIPTION_RECOVERY_ATTEMPTS), 2 unusable arguments (such as a missing octue.yaml).',
    )
    .action((options: StartOptions, command: Command) => startCommand(context, options, command));
}

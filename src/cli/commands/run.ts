import { cpSync } from 'node:fs';
import { join, parse, resolve } from 'node:path';

import type { Command } from 'commander';

import { setOwnProperty } from '../../core/json/own-property';
import type { ObjectStore } from '../../core/ports/object-store';
import type { SecretSource } from '../../core/ports/secrets';
import type { Manifest } from '../../core/resources';
import { serviceIdFromConfiguration } from '../../service/configuration';
import type { Logger } from '../../service/logging';
import { Runner } from '../../service/runner';
import { cloudPathBasename } from '../../core/gs-path';
import { DownloadTrackingStore } from '../../service/download-tracking-store';
import { LazyChildren, objectStore, pubSubTransport, resolveProjectId, secretSource } from '../adapters';
import { printableAnswer, printOctueJson } from '../answers';
import { loadCommandConfiguration } from '../configuration';
import { commandBars } from '../progress';
import type { CliContext } from '../context';
import { writeOutputFile } from '../files';
import { readStrandOption } from '../inputs';
import { cliLogger } from '../logging';

interface RunOptions {
  readonly serviceConfig?: string;
  readonly app?: string;
  readonly twine?: string;
  readonly inputValues?: string;
  readonly inputManifest?: string;
  readonly configurationValues?: string;
  readonly configurationManifest?: string;
  readonly outputDir?: string;
  readonly projectId?: string;
  readonly storageEndpoint?: string;
  readonly localStorage?: string;
  readonly json?: boolean;
}

interface RunPorts {
  readonly store: ObjectStore;
  readonly secrets: SecretSource | undefined;
  readonly children: LazyChildren;
  readonly logger: Logger;
}

// With --app and no configuration file, the app runs on its own, as Octue's Runner(app_src, twine) does. Also returns
// the local roots the app's children's answers may name: the configured ones, never the command line's whole disk.
function makeRunner(
  context: CliContext,
  options: RunOptions,
  ports: RunPorts,
): { runner: Runner; answerRoots: readonly string[] } {
  const configurationValues = readStrandOption(options.configurationValues, 'configuration_values');
  const configurationManifest = readStrandOption(options.configurationManifest, 'configuration_manifest');
  const common = {
    objectStore: ports.store,
    childFactory: ports.children.factory,
    logger: ports.logger,
    secretSource: ports.secrets,
    // `skein run` takes its input manifest from the person at the command line, not from the wire: their own local
    // paths are theirs to name (a served service refuses them unless it allows their roots).
    allowedLocalRoots: [parse(process.cwd()).root],
  };
  if (options.app !== undefined && options.serviceConfig === undefined) {
    const app = resolve(options.app);
    const runner = new Runner({
      app,
      twine: resolve(options.twine ?? join(app, 'twine.json')),
      configurationValues,
      configurationManifest,
      ...common,
    });
    return { runner, answerRoots: [] };
  }
  const configuration = loadCommandConfiguration(
    context,
    {
      path: options.serviceConfig,
      overrides: {
        ...(options.app === undefined ? {} : { appSourcePath: options.app }),
        ...(options.twine === undefined ? {} : { twinePath: options.twine }),
        ...(configurationValues === undefined ? {} : { configurationValues }),
        ...(configurationManifest === undefined ? {} : { configurationManifest }),
      },
    },
    ports.logger,
  );
  const runner = Runner.fromConfiguration(configuration, {
    serviceId: serviceIdFromConfiguration(configuration),
    ...common,
  });
  return { runner, answerRoots: configuration.allowedLocalRoots };
}

// Saves the outputs and a copy of every output dataset (downloaded when in the cloud) in the output directory; the
// saved manifest points at the copies.
async function saveOutputs(
  directory: string,
  outputs: { readonly values: unknown; readonly manifest: Manifest | undefined },
  store: ObjectStore,
): Promise<void> {
  const { values: outputValues, manifest } = outputs;
  writeOutputFile(join(directory, 'output_values.json'), `${JSON.stringify(outputValues ?? null, null, 2)}\n`);
  let saved: unknown = null;
  if (manifest !== undefined) {
    const datasets: Record<string, string> = {};
    for (const [key, dataset] of Object.entries(manifest.datasets)) {
      const target = join(directory, 'output_manifest_datasets', key);
      if (dataset.existsInCloud) await dataset.download({ directory: target, store });
      else cpSync(dataset.path, target, { recursive: true });
      setOwnProperty(datasets, key, target);
    }
    saved = { ...manifest.toPrimitive(), datasets };
  }
  writeOutputFile(join(directory, 'output_manifest.json'), `${JSON.stringify(saved, null, 2)}\n`);
}

async function runCommand(context: CliContext, options: RunOptions, command: Command): Promise<void> {
  const logger = cliLogger(context, command);
  const inputValues = readStrandOption(options.inputValues, 'input_values');
  const inputManifest = readStrandOption(options.inputManifest, 'input_manifest');
  const store = objectStore(context.env, {
    storageEndpoint: options.storageEndpoint,
    localStorage: options.localStorage,
    projectId: options.projectId,
  });
  // Set before any child is asked (children are made on the first question, once the Runner exists).
  let answerRoots: readonly string[] = [];
  const children = new LazyChildren(() => {
    const projectId = resolveProjectId(context.env, options.projectId);
    return {
      transport: pubSubTransport(context.env, projectId),
      objectStore: store,
      logger: logger.child('child'),
      // The Runner allows every local input path (they come from the command line); children's answers do not.
      allowedLocalRoots: answerRoots,
    };
  });
  const secrets = secretSource(context.env, options.projectId);
  try {
    const made = makeRunner(context, options, { store, children, logger, secrets });
    const { runner } = made;
    answerRoots = made.answerRoots;
    const analysis = await runner.run({
      inputValues,
      inputManifest,
      handleMonitorMessage: (data) => logger.info('Monitor message: %s', JSON.stringify(data)),
    });
    if (options.outputDir !== undefined) {
      // One progress bar per file downloaded from the cloud (on a terminal, without --json).
      const bars = commandBars(context, options.json);
      const observed = new DownloadTrackingStore(store, {
        onTransfer: (location) => bars.add(cloudPathBasename(location)),
      });
      try {
        await saveOutputs(
          resolve(options.outputDir),
          { values: analysis.outputValues, manifest: analysis.outputManifest },
          observed,
        );
      } finally {
        bars.stop();
      }
      logger.info('Saved the outputs in %s.', resolve(options.outputDir));
    }
    const answer = printableAnswer(analysis.outputValues, analysis.outputManifest);
    printOctueJson(context, options.json === true ? { analysis_id: analysis.id, ...answer } : answer);
  } finally {
    await children.close();
    await secrets?.close();
  }
}

/**
 * Adds `skein run`: runs a service's app once on local inputs with the Runner (validating inputs and outputs against
 * the twine) and prints the outputs.
 * @param program - The root command.
 * @param context - Output streams, environment and hooks.
 */
export function registerRunCommand(program: Command, context: CliContext): void {
  program
    .command('run')
    .description(
      "Run a service's app once on local inputs, checked against its twine, and print the outputs as JSON " +
        '({"output_values", "output_manifest"}). Uses octue.yaml, or --app (and --twine) without one. Logs and ' +
        'monitor messages go to standard error.',
    )
    .option(
      '-c, --service-config <file>',
      'the octue.yaml (default OCTUE_SERVICE_CONFIGURATION_PATH, else ./octue.yaml)',
    )
    .option('--app <dir>', 'the app directory (its app.js, app.mjs or app.cjs); without -c no octue.yaml is needed')
    .option('--twine <file>', 'the twine (default: the configured one, or twine.json in the app directory)')
    .option('-i, --input-values <json>', 'the input values: JSON text, or a file ending in .json')
    .option('-m, --input-manifest <json>', 'the input manifest: JSON text, or a file ending in .json')
    .option('--configuration-values <json>', 'configuration values (JSON text or .json file), replacing the configured')
    .option(
      '--configuration-manifest <json>',
      'a configuration manifest (JSON text or .json file), replacing the configured',
    )
    .option('--output-dir <dir>', 'also save output_values.json, output_manifest.json and the output datasets here')
    .option('-p, --project-id <id>', "the Google Cloud project for the app's children and storage")
    .option('--storage-endpoint <url>', 'a GCS-compatible server for gs:// paths (default STORAGE_EMULATOR_HOST)')
    .option('--local-storage <dir>', 'serve gs:// paths from this directory instead of Cloud Storage')
    .option('--json', 'print {"analysis_id", "output_values", "output_manifest"} instead')
    .addHelpText(
      'after',
      '\nExit codes: 0 the app ran and its outputs are valid, 1 invalid inputs or outputs or the app failed (the ' +
        'error is printed), 2 unusable arguments (such as a missing file).',
    )
    .action((options: RunOptions, command: Command) => runCommand(context, options, command));
}

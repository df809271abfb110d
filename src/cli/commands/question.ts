import { resolve } from 'node:path';

import type { Command } from 'commander';

import { downloadDiagnostics } from '../../service/diagnostics-download';
import { objectStore } from '../adapters';
import type { CliContext } from '../context';
import { commandBars } from '../progress';

interface DiagnosticsOptions {
  readonly localPath: string;
  readonly downloadDatasets?: boolean;
  readonly storageEndpoint?: string;
  readonly projectId?: string;
  readonly json?: boolean;
}

async function diagnosticsCommand(context: CliContext, cloudPath: string, options: DiagnosticsOptions): Promise<void> {
  const store = objectStore(context.env, { storageEndpoint: options.storageEndpoint, projectId: options.projectId });
  const bars = commandBars(context, options.json);
  let downloaded;
  try {
    downloaded = await downloadDiagnostics({
      objectStore: store,
      cloudPath,
      localPath: resolve(options.localPath),
      downloadDatasets: options.downloadDatasets === true,
      onDownload: (object) => bars.add(object.name, object.size),
    });
  } finally {
    bars.stop();
  }
  if (options.json === true) {
    context.io.out(`${JSON.stringify({ cloud_path: cloudPath, ...downloaded }, null, 2)}\n`);
  } else {
    const count = downloaded.files.length;
    context.io.out(
      `Downloaded ${count} ${count === 1 ? 'file' : 'files'} from ${cloudPath} to ${downloaded.directory}\n`,
    );
  }
}

/**
 * Adds the `question` command group: `skein question diagnostics <gs://…/question_uuid> [--local-path .]
 * [--download-datasets]`, as `octue twined question diagnostics`.
 * @param program - The root command.
 * @param context - Output streams, environment and hooks.
 */
export function registerQuestionCommands(program: Command, context: CliContext): void {
  const question = program.command('question').description('Work with questions asked to services.');
  question
    .command('diagnostics')
    .description(
      "Download a question's crash diagnostics (values, manifests and the questions it asked its children) from " +
        'the cloud into <local-path>/<question uuid>/.',
    )
    .argument('<cloud-path>', 'the diagnostics directory, ending in the question uuid (gs://bucket/path/<uuid>)')
    .option('--local-path <dir>', 'the directory to put the <question uuid> directory in', '.')
    .option('--download-datasets', 'also download the datasets and point the local manifests at them')
    .option(
      '--storage-endpoint <url>',
      'a GCS-compatible server to download from (default STORAGE_EMULATOR_HOST, else Google Cloud Storage)',
    )
    .option('-p, --project-id <id>', 'the Google Cloud project (default GOOGLE_CLOUD_PROJECT)')
    .option('--json', 'print a machine-readable summary (directory and files) instead of one line')
    .addHelpText('after', '\nExit codes: 0 downloaded, 1 nothing found or the download failed, 2 unusable arguments.')
    .action((cloudPath: string, options: DiagnosticsOptions) => diagnosticsCommand(context, cloudPath, options));
}

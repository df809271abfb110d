import { startFederatedExample } from '../../../apps/federated-kmeans';
import type { FederatedExampleResult, FederatedKMeansInput, RoundProgress } from '../../../apps/federated-kmeans';
import type { ObjectStore } from '../../core/ports/object-store';
import type { Transport } from '../../core/ports/transport';
import type { Logger } from '../../service/logging';
import type { CliContext } from '../context';

/** What the federated example runs on (the backend `skein example` chose). */
export interface FederatedExampleBackend {
  readonly transport: Transport;
  readonly objectStore: ObjectStore;
  readonly uploadTo?: string;
}

function formatNumbers(values: readonly number[]): string {
  return values.map((value) => value.toFixed(3)).join(', ');
}

function formatResult(result: FederatedExampleResult, sites: readonly string[]): string {
  return [
    `Federated k-means of ${result.column} over ${result.count} rows from ${sites.length} sites (${sites.join(', ')}),`,
    `each site's data read only by its own node; ${result.history.length} rounds:`,
    `centroids   ${formatNumbers(result.centroids)}`,
    `mean        ${result.noisyMean.toFixed(3)} (with Laplace noise: local differential privacy)`,
  ].join('\n');
}

/**
 * Runs `skein example federated`: an aggregator and one node per example site, federated k-means with a line per round
 * on standard error as it happens, then the centroids and the noisy mean (or the JSON output with `--json`).
 * @param context - The CLI context.
 * @param backend - The transport and store to run on.
 * @param input - The algorithm's parameters.
 * @param options - `json` output, and the parent's logger (the services' forwarded logs).
 */
export async function runFederatedExample(
  context: CliContext,
  backend: FederatedExampleBackend,
  input: FederatedKMeansInput,
  options: { readonly json: boolean; readonly logger: Logger },
): Promise<void> {
  const example = await startFederatedExample({ ...backend, parentLogger: options.logger });
  try {
    const result = await example.ask(input, (data) => {
      const progress = data as RoundProgress;
      context.io.err(`round ${progress.round}/${progress.rounds}: centroids ${formatNumbers(progress.centroids)}\n`);
    });
    context.io.out(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatResult(result, example.sites)}\n`);
  } finally {
    await example.close();
  }
}

// The federated example on the embedded default (in-memory transport, local object store): federated k-means of the
// example sites' temperatures against the same algorithm run centrally on the pooled data.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EXAMPLE_DATA_DIRECTORY } from '../../../apps/example-tree';
import { centralKMeans, FEDERATED_SITES, readColumn, startFederatedExample } from '../../../apps/federated-kmeans';
import type { FederatedExample, RoundProgress } from '../../../apps/federated-kmeans';
import { InMemoryBroker, InMemoryTransport } from '../../../src/cloud/memory';
import { LocalObjectStore } from '../../../src/cloud/storage';

function pooledColumn(column: string): number[] {
  const files = FEDERATED_SITES.flatMap((site) =>
    readdirSync(join(EXAMPLE_DATA_DIRECTORY, site))
      .filter((name) => name.endsWith('.csv'))
      .sort()
      .map((name) => readFileSync(join(EXAMPLE_DATA_DIRECTORY, site, name))),
  );
  return readColumn(files, column);
}

describe('Example: federated k-means over the example sites', () => {
  const root = mkdtempSync(join(tmpdir(), 'skein-federated-example-'));
  let transport: InMemoryTransport;
  let example: FederatedExample;

  beforeAll(async () => {
    transport = new InMemoryTransport({ topicName: 'federated.example.services', broker: new InMemoryBroker() });
    await transport.ensureTopic();
    // A seeded noise source: 0.5 is the Laplace distribution's median, so the noisy mean is the mean itself.
    example = await startFederatedExample({
      transport,
      objectStore: new LocalObjectStore({ root }),
      uniform: () => 0.5,
    });
  });

  afterAll(async () => {
    await example.close();
    await transport.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('finds the centroids the central algorithm finds on the pooled data, reporting every round', async () => {
    // Prepare
    const values = pooledColumn('temperature_c');
    const rounds: RoundProgress[] = [];

    // Act
    const result = await example.ask({ column: 'temperature_c', k: 3, rounds: 6 }, (progress) => {
      rounds.push(progress as RoundProgress);
    });

    // Assess
    const central = centralKMeans(values, 3, 6);
    expect(result.count).toBe(values.length);
    expect(result.history).toHaveLength(6);
    result.history.forEach((centroids, round) => {
      centroids.forEach((centroid, index) => expect(centroid).toBeCloseTo(central[round]?.[index] as number, 9));
    });
    expect(rounds.map((progress) => progress.round)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rounds.map((progress) => progress.centroids)).toEqual(result.history);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(result.noisyMean).toBeCloseTo(mean, 9);
  });
});

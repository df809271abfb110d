// `skein example federated` (what `npm start -- federated` runs): federated k-means over the three example sites,
// through the real binary, on the embedded default and over freshly started emulators, checked against the same
// algorithm run centrally on the pooled data.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLE_DATA_DIRECTORY } from '../../../apps/example-tree';
import { centralKMeans, FEDERATED_SITES, readColumn } from '../../../apps/federated-kmeans';
import type { FederatedExampleResult } from '../../../apps/federated-kmeans';
import { skein } from './helpers';

jest.setTimeout(180_000);

function pooledColumn(column: string): number[] {
  const files = FEDERATED_SITES.flatMap((site) =>
    readdirSync(join(EXAMPLE_DATA_DIRECTORY, site))
      .filter((name) => name.endsWith('.csv'))
      .sort()
      .map((name) => readFileSync(join(EXAMPLE_DATA_DIRECTORY, site, name))),
  );
  return readColumn(files, column);
}

describe('Command: skein example federated', () => {
  it.each([
    ['on the embedded default', []],
    ['over the emulators', ['--emulators']],
  ])('runs federated k-means %s with a line per round, as the central algorithm does', async (_where, extra) => {
    // Act
    const run = await skein([
      'example',
      'federated',
      '--json',
      '--rounds',
      '6',
      '--column',
      'wind_speed_m_s',
      ...extra,
    ]);

    // Assess
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as FederatedExampleResult;
    const values = pooledColumn('wind_speed_m_s');
    const central = centralKMeans(values, 3, 6);
    expect(result.count).toBe(values.length);
    result.centroids.forEach((centroid, index) => expect(centroid).toBeCloseTo(central[5]?.[index] as number, 9));
    expect(run.stderr.split('\n').filter((line) => /^round \d\/6: centroids /.test(line))).toHaveLength(6);
    expect(Number.isFinite(result.noisyMean)).toBe(true);
  });

  it('exits 2 naming the examples for an unknown one', async () => {
    const run = await skein(['example', 'nope']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/'nope' is invalid.*Allowed choices are tree, federated/);
  });
});

// `skein example` (what `npm start` runs): the example tree, the aggregator asking csv-stats children, through the
// real binary, on the embedded default and on freshly started emulators.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import type { AggregatorOutput } from '../../../apps/aggregator';
import { GcsObjectStore } from '../../../src/cloud/storage';
import { createTestServiceAccount } from '../../../src/emulators/service-account';
import { EXAMPLES, NUMERIC_COLUMNS, SITES, expectSummary, naiveSummary, readNaively } from '../../unit/apps/helpers';
import type { NaiveColumns } from '../../unit/apps/helpers';
import { skein } from './helpers';

jest.setTimeout(180_000);

function expectPooledExampleData(output: AggregatorOutput): void {
  const everything: NaiveColumns = new Map();
  for (const site of SITES) readNaively(join(EXAMPLES, site), NUMERIC_COLUMNS, everything);
  expect(output.combined.rows).toBe(336);
  for (const [column, { values, missing }] of everything) {
    expectSummary(output.combined.columns[column], naiveSummary(values, missing));
  }
}

describe('Command: skein example', () => {
  it('runs the tree in memory, printing a statistics table and the children logs with both labels', async () => {
    const run = await skein(['example']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Pooled statistics of 336 rows from 3 groups:$/m);
    expect(run.stdout).toMatch(/^temperature_c +336 +9\.791 /m);
    expect(run.stderr).toMatch(
      /\[skein-examples\/aggregator:local \| [0-9a-f-]{36}\] \[skein-examples\/csv-stats:local/,
    );
  });

  it('prints the output values as JSON with --json, over the emulators with --emulators', async () => {
    const run = await skein(['example', '--emulators', '--json', '--log-level', 'warning']);

    expect(run.code).toBe(0);
    expectPooledExampleData(JSON.parse(run.stdout) as AggregatorOutput);
  });

  it('runs on Google Cloud as configured with --cloud (here redirected to the emulators by their variables)', async () => {
    // Prepare: the bucket the example data goes to, on the GCS-compatible server.
    const storageUrl = process.env.SKEIN_TEST_GCS_URL as string;
    const bucket = `example-${randomUUID().slice(0, 8)}`;
    const store = new GcsObjectStore({
      projectId: 'demo-skein',
      apiEndpoint: storageUrl,
      credentials: createTestServiceAccount({ projectId: 'demo-skein' }).credentials,
    });
    await store.storage.createBucket(bucket);
    const env = {
      STORAGE_EMULATOR_HOST: storageUrl,
      GOOGLE_CLOUD_PROJECT: 'demo-skein',
      TWINED_SERVICES_TOPIC_NAME: `example-cloud-${randomUUID().slice(0, 8)}`,
    };

    // Act
    const run = await skein(['example', '--cloud', '--bucket', bucket, '--json', '--log-level', 'warning'], { env });

    // Assess
    expect(run.code).toBe(0);
    expectPooledExampleData(JSON.parse(run.stdout) as AggregatorOutput);
    expect(await store.exists(`gs://${bucket}/skein-example/data/harbour/2024-03-week-1.csv`)).toBe(true);
  });

  it('refuses --cloud without --bucket in one line saying what to add', async () => {
    const run = await skein(['example', '--cloud']);

    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^skein: error: InvalidInputException: --cloud needs --bucket <name>/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('fails in one line naming the column when asked for a column the data lacks', async () => {
    const run = await skein(['example', '--columns', 'snowfall_cm', '--log-level', 'error']);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/snowfall_cm/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

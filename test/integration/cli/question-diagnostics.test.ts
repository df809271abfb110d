// `skein question diagnostics`: crash diagnostics saved by the runtime (Diagnostics, Octue's layout) in the
// GCS-compatible server started by global setup are downloaded by the real binary.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GcsObjectStore } from '../../../src/cloud/storage';
import { createTestServiceAccount } from '../../../src/emulators/service-account';
import { createLogger, Diagnostics } from '../../../src/service';
import { skein } from './helpers';
import { requiredEnv } from '../../helpers/pubsub-emulator-host';

const PROJECT_ID = 'demo-skein';

function listFiles(directory: string, prefix = ''): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(join(directory, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

describe('Command: skein question diagnostics', () => {
  const temp = mkdtempSync(join(tmpdir(), 'skein-cli-diagnostics-'));
  const questionUuid = randomUUID();
  const gcsUrl = requiredEnv('SKEIN_TEST_GCS_URL');
  let cloudPath: string;

  beforeAll(async () => {
    const store = new GcsObjectStore({
      projectId: PROJECT_ID,
      apiEndpoint: gcsUrl,
      credentials: createTestServiceAccount({ projectId: PROJECT_ID }).credentials,
    });
    const bucket = `cli-diagnostics-${randomUUID().slice(0, 8)}`;
    await store.storage.createBucket(bucket);
    const inputs = join(temp, 'source', 'rainfall');
    mkdirSync(inputs, { recursive: true });
    writeFileSync(join(inputs, 'day-1.csv'), 'hour,mm\n1,0.5\n');
    const diagnostics = new Diagnostics({
      cloudPath: `gs://${bucket}/diagnostics`,
      objectStore: store,
      logger: createLogger(),
    });
    diagnostics.addData({
      analysisId: questionUuid,
      configurationValues: { threshold: 3 },
      inputValues: { n: 4 },
      inputManifest: { id: randomUUID(), datasets: { rainfall: inputs } },
    });
    diagnostics.addQuestion({ id: 'acme/child:1.0.0', key: 'child', input_values: { n: 2 }, events: [] });
    const uploaded = await diagnostics.upload();
    if (uploaded === undefined) throw new Error('The diagnostics were not uploaded.');
    cloudPath = uploaded;
  });

  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('downloads the values, manifests and questions into <local path>/<question uuid>', async () => {
    const local = join(temp, 'plain');
    const run = await skein([
      'question',
      'diagnostics',
      cloudPath,
      '--local-path',
      local,
      '--storage-endpoint',
      gcsUrl,
    ]);
    expect(run).toEqual({
      code: 0,
      stdout: `Downloaded 4 files from ${cloudPath} to ${join(local, questionUuid)}\n`,
      stderr: '',
    });
    expect(listFiles(join(local, questionUuid))).toEqual([
      'configuration_values.json',
      'input_manifest.json',
      'input_values.json',
      'questions.json',
    ]);
    const inputValues = JSON.parse(readFileSync(join(local, questionUuid, 'input_values.json'), 'utf8')) as unknown;
    expect(inputValues).toEqual({ n: 4 });
  });

  it('also downloads the datasets with --download-datasets and points the manifest at them (STORAGE_EMULATOR_HOST)', async () => {
    const local = join(temp, 'with-datasets');
    const run = await skein(
      ['question', 'diagnostics', cloudPath, '--local-path', local, '--download-datasets', '--json'],
      {
        env: { STORAGE_EMULATOR_HOST: gcsUrl },
      },
    );
    expect(run.code).toBe(0);
    const directory = join(local, questionUuid);
    const report = JSON.parse(run.stdout) as { directory: string; files: string[] };
    expect(report.directory).toBe(directory);
    expect(listFiles(directory)).toEqual([
      'configuration_values.json',
      'input_manifest.json',
      'input_manifest_datasets/rainfall/.octue',
      'input_manifest_datasets/rainfall/day-1.csv',
      'input_values.json',
      'questions.json',
    ]);
    expect(report.files).toHaveLength(6);
    expect(readFileSync(join(directory, 'input_manifest_datasets/rainfall/day-1.csv'), 'utf8')).toBe(
      'hour,mm\n1,0.5\n',
    );
    const manifest = JSON.parse(readFileSync(join(directory, 'input_manifest.json'), 'utf8')) as {
      datasets: Record<string, unknown>;
    };
    expect(manifest.datasets).toEqual({ rainfall: join(directory, 'input_manifest_datasets', 'rainfall') });
  });

  it('exits 1 saying what to check when nothing is at the path', async () => {
    const missing = cloudPath.replace(questionUuid, randomUUID());
    const run = await skein(['question', 'diagnostics', missing, '--local-path', temp, '--storage-endpoint', gcsUrl]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `skein: error: ObjectNotFound: No diagnostics were found at '${missing}': check the path (it ends in the ` +
        'question uuid) and that the service saves diagnostics there (diagnostics_cloud_path).\n',
    );
  });

  it('exits 1 when the path is not a cloud path', async () => {
    const run = await skein(['question', 'diagnostics', 'diagnostics/abc', '--storage-endpoint', gcsUrl]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "skein: error: InvalidCloudPath: 'diagnostics/abc' is not a cloud path: expected gs://<bucket>/<object name>.\n",
    );
  });

  it('exits 2 without a cloud path', async () => {
    const run = await skein(['question', 'diagnostics']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing required argument 'cloud-path'/);
  });
});

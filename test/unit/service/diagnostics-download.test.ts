import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { InvalidCloudPath, ObjectNotFound } from '../../../src/errors';
import { DIAGNOSTICS_DATA_FILES, downloadDiagnostics } from '../../../src/service/diagnostics-download';
import { diagnosticsWithDataset, downloadOctueQuestion, OCTUE_WIND_DATASET, temporaryStore } from './helpers';

const ANALYSIS_ID = '0c7a9b5e-21b8-4c48-8d0e-4b0e2c7d7f51';

function listFiles(directory: string, prefix = ''): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(join(directory, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

describe('Function: downloadDiagnostics', () => {
  let temp: ReturnType<typeof temporaryStore>;
  let cloudPath: string;

  beforeEach(async () => {
    temp = temporaryStore();
    const { diagnostics, dataset } = diagnosticsWithDataset(temp, 'configuration-data');
    diagnostics.addData({
      analysisId: ANALYSIS_ID,
      configurationValues: { speed: 1 },
      configurationManifest: { id: 'c', datasets: { settings: { path: dataset, name: 'settings', tags: { a: 1 } } } },
      inputValues: { n: 1 },
    });
    diagnostics.addQuestion({ id: 'acme/child:1.0.0', key: 'child', events: [] });
    cloudPath = (await diagnostics.upload()) as string;
  });

  afterEach(() => temp.cleanup());

  it('downloads only the data files without downloadDatasets, following each download', async () => {
    const local = join(temp.root, 'local');
    const started: string[] = [];
    let finished = 0;
    const downloaded = await downloadDiagnostics({
      objectStore: temp.store,
      cloudPath,
      localPath: local,
      onDownload: (object) => {
        started.push(object.name);
        return { onProgress: () => undefined, done: () => (finished += 1) };
      },
    });
    const directory = join(local, ANALYSIS_ID);
    expect(downloaded.directory).toBe(directory);
    const expected = [
      'configuration_manifest.json',
      'configuration_values.json',
      'input_values.json',
      'questions.json',
    ];
    expect(listFiles(directory)).toEqual(expected);
    expect(downloaded.files).toEqual(expected.map((name) => join(directory, name)));
    expect(started.sort()).toEqual(expected.map((name) => `crashes/${ANALYSIS_ID}/${name}`));
    expect(finished).toBe(4);
    expect(expected.every((name) => (DIAGNOSTICS_DATA_FILES as readonly string[]).includes(name))).toBe(true);
  });

  it('downloads the datasets with downloadDatasets and points the manifest at their local copies', async () => {
    const local = join(temp.root, 'local');
    await downloadDiagnostics({
      objectStore: temp.store,
      cloudPath: `${cloudPath}/`,
      localPath: local,
      downloadDatasets: true,
    });
    const directory = join(local, ANALYSIS_ID);
    const copy = join(directory, 'configuration_manifest_datasets', 'settings');
    expect(readFileSync(join(copy, 'settings.txt'), 'utf8')).toBe('fast');
    const manifest = JSON.parse(readFileSync(join(directory, 'configuration_manifest.json'), 'utf8')) as {
      id: string;
      datasets: Record<string, unknown>;
    };
    expect(manifest.id).toBe('c');
    expect(manifest.datasets).toEqual({ settings: copy });
  });

  it('points a dataset primitive (Octue form) at its local copy, dropping its cloud file list', async () => {
    const datasetPath = OCTUE_WIND_DATASET;
    const manifest = {
      id: 'm',
      datasets: { wind: { id: 'd', name: 'wind', path: datasetPath, files: [`${datasetPath}/speeds.csv`] } },
    };
    const local = await downloadOctueQuestion(temp, JSON.stringify(manifest));
    const copy = join(local, 'input_manifest_datasets', 'wind');
    expect(readFileSync(join(copy, 'speeds.csv'), 'utf8')).toBe('speed\n3\n');
    const saved = JSON.parse(readFileSync(join(local, 'input_manifest.json'), 'utf8')) as unknown;
    expect(saved).toEqual({ id: 'm', datasets: { wind: { id: 'd', name: 'wind', path: copy } } });
  });

  it('throws ObjectNotFound naming the path when nothing is there', async () => {
    const missing = 'gs://diagnostics-bucket/crashes/not-a-question';
    const failure = downloadDiagnostics({ objectStore: temp.store, cloudPath: missing, localPath: temp.root });
    await expect(failure).rejects.toBeInstanceOf(ObjectNotFound);
    await expect(failure).rejects.toThrow(`No diagnostics were found at '${missing}': check the path`);
  });

  it.each([
    ['a bucket alone', 'gs://diagnostics-bucket', /names a bucket, not a diagnostics directory/],
    ['a local path', 'crashes/abc', /is not a cloud path/],
  ])('throws InvalidCloudPath for %s', async (_case, path, message) => {
    const failure = downloadDiagnostics({ objectStore: temp.store, cloudPath: path, localPath: temp.root });
    await expect(failure).rejects.toBeInstanceOf(InvalidCloudPath);
    await expect(failure).rejects.toThrow(message);
  });
});

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Dataset } from '../../../src/core/resources';
import { loadFixtureFromDiagnostics } from '../../../src/service/child-emulator';
import { downloadDiagnostics } from '../../../src/service/diagnostics-download';
import { HOSTILE_KEYS_JSON, expectHostileKeysKeptAsData, objectPrototypePolluted } from '../../helpers/prototype-keys';
import { diagnosticsWithDataset, downloadOctueQuestion, OCTUE_WIND_DATASET, temporaryStore } from './helpers';

const ANALYSIS_ID = '0c7a9b5e-21b8-4c48-8d0e-4b0e2c7d7f51';

/** The own value of `key`, never an inherited one. */
function own(record: unknown, key: string): unknown {
  return Object.getOwnPropertyDescriptor(record, key)?.value;
}

describe('Diagnostics (prototype keys in the received question)', () => {
  let temp: ReturnType<typeof temporaryStore>;

  beforeEach(() => {
    temp = temporaryStore();
  });

  afterEach(() => {
    temp.cleanup();
    expect(objectPrototypePolluted()).toBe(false);
  });

  it('saves, downloads and reloads a dataset keyed __proto__ and values with the keys, losing nothing', async () => {
    const { diagnostics, dataset } = diagnosticsWithDataset(temp, 'data');
    diagnostics.addData({
      analysisId: ANALYSIS_ID,
      configurationValues: JSON.parse(HOSTILE_KEYS_JSON),
      configurationManifest: JSON.parse(
        `{"id": "${ANALYSIS_ID}", "datasets": {"__proto__": ${JSON.stringify(dataset)}}}`,
      ),
      inputValues: JSON.parse(HOSTILE_KEYS_JSON),
    });

    // Saving: the uploaded manifest still names the dataset.
    const cloudPath = (await diagnostics.upload()) as string;
    const saved = JSON.parse((await temp.store.read(`${cloudPath}/configuration_manifest.json`)).toString('utf8')) as {
      datasets: object;
    };
    expect(Object.keys(saved.datasets)).toEqual(['__proto__']);

    // Downloading: the local manifest points the same key at the local copy.
    const local = join(temp.root, 'local');
    await downloadDiagnostics({ objectStore: temp.store, cloudPath, localPath: local, downloadDatasets: true });
    const directory = join(local, ANALYSIS_ID);
    const copy = join(directory, 'configuration_manifest_datasets', '__proto__');
    const rewritten = JSON.parse(readFileSync(join(directory, 'configuration_manifest.json'), 'utf8')) as {
      datasets: object;
    };
    expect(Object.keys(rewritten.datasets)).toEqual(['__proto__']);
    expect(own(rewritten.datasets, '__proto__')).toBe(copy);
    expect(readFileSync(join(copy, 'settings.txt'), 'utf8')).toBe('fast');

    // Loading as a test fixture: the manifest and the values keep the keys as data.
    const fixture = await loadFixtureFromDiagnostics(directory);
    const datasets = fixture.configurationManifest?.datasets;
    expect(Object.getPrototypeOf(datasets)).toBe(Object.prototype);
    expect(own(datasets, '__proto__')).toBeInstanceOf(Dataset);
    expect((own(datasets, '__proto__') as Dataset).path).toBe(copy);
    expectHostileKeysKeptAsData(fixture.configurationValues);
    expectHostileKeysKeptAsData(fixture.inputValues);
  });

  it('downloads a stored manifest whose dataset is keyed __proto__ and points that key at the local copy', async () => {
    const local = await downloadOctueQuestion(
      temp,
      `{"id": "${ANALYSIS_ID}", "datasets": {"__proto__": {"path": "${OCTUE_WIND_DATASET}", "files": []}}}`,
    );

    const rewritten = JSON.parse(readFileSync(join(local, 'input_manifest.json'), 'utf8')) as {
      datasets: object;
    };
    expect(Object.keys(rewritten.datasets)).toEqual(['__proto__']);
    expect(own(own(rewritten.datasets, '__proto__'), 'path')).toBe(join(local, 'input_manifest_datasets', 'wind'));
  });

  it('loads a local diagnostics manifest whose dataset is keyed __proto__ as an ordinary dataset', async () => {
    const directory = join(temp.root, 'diagnostics');
    const dataset = join(directory, 'input_manifest_datasets', '__proto__');
    mkdirSync(dataset, { recursive: true });
    writeFileSync(join(dataset, 'a.txt'), 'a');
    writeFileSync(
      join(directory, 'input_manifest.json'),
      `{"id": "${ANALYSIS_ID}", "datasets": {"__proto__": "gs://diagnostics-bucket/x/input_manifest_datasets/__proto__"}}`,
    );

    const fixture = await loadFixtureFromDiagnostics(directory);

    const datasets = fixture.inputManifest?.datasets;
    expect(Object.keys(datasets ?? {})).toEqual(['__proto__']);
    expect((own(datasets, '__proto__') as Dataset).path).toBe(dataset);
  });
});

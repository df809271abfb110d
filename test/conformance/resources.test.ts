// Octue's diagnostics fixtures (manifests, dataset directories and their `.octue` files) read as Octue reads them,
// and the same datasets carried through a GCS-compatible server and shared with signed URLs, as between services.
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { GcsObjectStore } from '../../src/cloud/storage/gcs-object-store';
import { crc32cHash } from '../../src/core/hashing/crc32c';
import { pythonRepr } from '../../src/core/json';
import { Dataset, Manifest, readLocalMetadataFile } from '../../src/core/resources';
import type { RunningGcsServer } from '../../src/emulators/gcs-server';
import { startGcsServer } from '../../src/emulators/gcs-server';
import { createTestServiceAccount } from '../../src/emulators/service-account';

const DIAGNOSTICS = path.join(__dirname, '../fixtures/octue/fixtures/diagnostics');

const FIXTURES = [
  {
    kind: 'configuration',
    manifestId: 'dab88335-d739-4899-8eec-13ffdb5921fd',
    key: 'configuration_dataset',
    datasetId: '5eb88462-7295-4a8e-90de-82bdf3241903',
    tags: { some: 'metadata' },
    contents: 'configuration manifest data\n',
  },
  {
    kind: 'input',
    manifestId: '6b47f41a-9d6f-41de-bc92-54ce8ecf5bed',
    key: 'input_dataset',
    datasetId: 'b03e1838-0506-4ed7-a366-f0293e5af1bb',
    tags: { more: 'metadata' },
    contents: 'input manifest data\n',
  },
] as const;

type Fixture = (typeof FIXTURES)[number];

/**
 * The fixture manifest with its dataset paths resolved. Octue recorded them relative to its own test directory
 * (`tests/utils/test_crash_diagnostics/<kind>_manifest_datasets/<key>`); the same layout sits beside the manifest here.
 */
function fixtureManifest(fixture: Fixture): { id: string; name: null; datasets: Record<string, string> } {
  const recorded = JSON.parse(readFileSync(path.join(DIAGNOSTICS, `${fixture.kind}_manifest.json`), 'utf8')) as {
    id: string;
    name: null;
    datasets: Record<string, string>;
  };
  const datasets = Object.fromEntries(
    Object.entries(recorded.datasets).map(([key, recordedPath]) => {
      const relative = `${fixture.kind}_manifest_datasets/${key}`;
      expect(recordedPath.endsWith(relative)).toBe(true);
      return [key, path.join(DIAGNOSTICS, relative)];
    }),
  );
  return { ...recorded, datasets };
}

describe('Conformance: Octue diagnostics manifests and datasets', () => {
  describe.each(FIXTURES)('The $kind manifest', (fixture) => {
    it('loads with the recorded manifest id, no name, and one dataset per key', async () => {
      const manifest = await Manifest.fromPrimitive(fixtureManifest(fixture));
      expect(manifest.id).toBe(fixture.manifestId);
      expect(manifest.name).toBeNull();
      expect(Object.keys(manifest.datasets)).toEqual([fixture.key]);
      expect(manifest.toPrimitive()).toEqual(fixtureManifest(fixture));
    });

    it("reads the dataset's id, name, tags and labels from its .octue file, keeping its local path", async () => {
      const manifest = await Manifest.fromPrimitive(fixtureManifest(fixture));
      const dataset = manifest.getDataset(fixture.key);
      expect(dataset.id).toBe(fixture.datasetId);
      expect(dataset.name).toBe(fixture.key);
      expect(dataset.tags.toPrimitive()).toEqual(fixture.tags);
      expect(dataset.labels.size).toBe(0);
      // The record's `path` (where Octue had uploaded the dataset) is not metadata: the dataset stays where it is.
      expect(dataset.path).toBe(fixtureManifest(fixture).datasets[fixture.key]);
      expect([...dataset].map((file) => file.name)).toEqual(['my_file.txt']);
    });

    it('hashes the file, dataset and manifest as Octue does', async () => {
      const manifest = await Manifest.fromPrimitive(fixtureManifest(fixture));
      const dataset = manifest.getDataset(fixture.key);
      const fileHash = crc32cHash(fixture.contents);
      await expect(dataset.files.one().hash()).resolves.toBe(fileHash);
      await expect(dataset.hash()).resolves.toBe(crc32cHash(`['${fileHash}']`));
      const datasetHash = await dataset.hash();
      await expect(manifest.hash()).resolves.toBe(crc32cHash(`[('${fixture.key}', '${datasetHash}')]`));
    });

    it('reads the .octue file itself as Octue wrote it', async () => {
      const records = await readLocalMetadataFile(
        path.join(DIAGNOSTICS, `${fixture.kind}_manifest_datasets`, fixture.key, '.octue'),
      );
      expect(records).toEqual({
        dataset: {
          id: fixture.datasetId,
          name: fixture.key,
          tags: fixture.tags,
          labels: [],
          path: expect.stringMatching(
            new RegExp(`^gs://octue-sdk-python-test-bucket/crash_diagnostics/.+/${fixture.kind}_manifest_datasets/`),
          ),
        },
      });
    });
  });
});

describe('Conformance: datasets shared through a GCS-compatible server with signed URLs', () => {
  const account = createTestServiceAccount({ projectId: 'demo-x' });
  const bucket = 'skein-resources-conformance';
  let server: RunningGcsServer;
  let store: GcsObjectStore;
  let workDir: string;

  beforeAll(async () => {
    server = await startGcsServer({ port: 0, signingKey: account.publicKeyPem });
    store = new GcsObjectStore({ projectId: 'demo-x', apiEndpoint: server.url, credentials: account.credentials });
    await store.storage.createBucket(bucket);
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'skein-resources-conformance-'));
  });
  afterAll(async () => {
    await server?.stop();
    await fs.rm(workDir, { recursive: true, force: true });
  });

  it('uploads the input dataset with Octue metadata that a signed URL exposes over HTTP', async () => {
    const fixture = FIXTURES[1];
    const local = await Manifest.fromPrimitive(fixtureManifest(fixture));
    const dataset = local.getDataset(fixture.key);
    const datafile = dataset.files.one();
    datafile.labels = 'from-octue';
    datafile.tags = { sequence: 0 };
    const cloudPath = `gs://${bucket}/diagnostics/${fixture.key}`;
    await dataset.upload({ store, cloudPath });

    const object = await store.getMetadata(`${cloudPath}/my_file.txt`);
    expect(object.metadata.octue__id).toBe(JSON.stringify(datafile.id));
    expect(object.metadata.octue__labels).toBe('{"_type": "set", "items": ["from-octue"]}');
    expect(object.crc32c).toBe(crc32cHash(fixture.contents));

    const cloudManifest = new Manifest({ id: fixture.manifestId, datasets: { [fixture.key]: dataset } });
    await cloudManifest.useSignedUrlsForDatasets({ store });
    const primitive = JSON.parse(cloudManifest.serialise()) as { datasets: Record<string, string> };
    expect(primitive.datasets[fixture.key]).toMatch(new RegExp(`^${server.url}/${bucket}/diagnostics/`));

    // A receiving service has no store: everything comes through the signed URLs.
    const received = await Manifest.fromPrimitive(primitive);
    const receivedDataset = received.getDataset(fixture.key);
    expect(receivedDataset.id).toBe(fixture.datasetId);
    expect(receivedDataset.tags.toPrimitive()).toEqual(fixture.tags);
    const receivedFile = receivedDataset.files.one();
    expect(receivedFile.name).toBe('my_file.txt');
    expect(receivedFile.id).toBe(datafile.id);
    expect(receivedFile.labels.sorted()).toEqual(['from-octue']);
    expect(receivedFile.tags.toPrimitive()).toEqual({ sequence: 0 });
    expect(receivedFile.cloudMetadata?.crc32c).toBe(crc32cHash(fixture.contents));
    await expect(received.hash()).resolves.toBe(await cloudManifest.hash());

    const directory = await receivedDataset.download({ directory: path.join(workDir, 'received') });
    expect(await fs.readFile(path.join(directory, 'my_file.txt'), 'utf8')).toBe(fixture.contents);
  });

  it('reloads the uploaded dataset from the bucket with the same metadata and hash', async () => {
    const fixture = FIXTURES[0];
    const dataset = (await Manifest.fromPrimitive(fixtureManifest(fixture))).getDataset(fixture.key);
    const cloudPath = `gs://${bucket}/reloaded/${fixture.key}`;
    await dataset.upload({ store, cloudPath });
    const reloaded = await Dataset.fromCloud(cloudPath, { store });
    expect(reloaded.id).toBe(fixture.datasetId);
    expect(reloaded.toPrimitive({ includeFiles: false })).toEqual({
      id: fixture.datasetId,
      name: fixture.key,
      tags: fixture.tags,
      labels: [],
      path: cloudPath,
    });
    await expect(reloaded.hash()).resolves.toBe(crc32cHash(pythonRepr([crc32cHash(fixture.contents)])));
  });
});

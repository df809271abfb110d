import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

import { LocalObjectStore } from '../../../src/cloud/storage/local-object-store';
import { Dataset } from '../../../src/core/resources';
import {
  BucketNotAllowed,
  CloudStorageBucketNotFound,
  FileLocationError,
  LocalPathNotAllowed,
  UrlHostNotAllowed,
} from '../../../src/errors';
import { LocationPolicy } from '../../../src/core/resources';
import { Diagnostics, Runner, createLogger } from '../../../src/service';
import type { Analysis } from '../../../src/service';
import { MemoryNetwork } from './child/helpers';

const DIAGNOSTICS = 'gs://diagnostics/questions';
const TWINE = { input_manifest: { datasets: { data: {} } } };
const SECRET = 'PRIVATE KEY of the service';

/** A workspace: an allowed root with a dataset, a victim directory outside it, symlinks, and a local store. */
interface Workspace {
  readonly root: string;
  readonly allowed: string;
  readonly victimDirectory: string;
  readonly victimFile: string;
  readonly store: LocalObjectStore;
}

function makeWorkspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'skein-input-locations-'));
  const allowed = join(root, 'allowed');
  mkdirSync(join(allowed, 'dataset'), { recursive: true });
  writeFileSync(join(allowed, 'dataset', 'a.csv'), 'x\n1\n');
  const victimDirectory = join(root, 'home', '.keys');
  mkdirSync(victimDirectory, { recursive: true });
  const victimFile = join(victimDirectory, 'service.key');
  writeFileSync(victimFile, SECRET);
  // A symlinked directory escaping the root, and an allowed dataset directory holding a symlink to the victim.
  symlinkSync(victimDirectory, join(allowed, 'escape'));
  mkdirSync(join(allowed, 'linked-dataset'));
  symlinkSync(victimFile, join(allowed, 'linked-dataset', 'b.csv'));
  return { root, allowed, victimDirectory, victimFile, store: new LocalObjectStore({ root: join(root, 'storage') }) };
}

/** A dataset defined by a list of files, in the manifest 0.1.0 shape (without a path unless given). */
function fileList(files: readonly unknown[], path?: string): Record<string, unknown> {
  const dataset = { id: 'b9d3c5e2-4c1a-4d2f-8a54-0f3e2c1b7a90', name: 'data', tags: {}, labels: [], files };
  return path === undefined ? dataset : { ...dataset, path };
}

function manifest(data: unknown): unknown {
  return { id: '2d8cf6a5-53b4-4c0b-9c1b-6f8e8a8f6a3e', datasets: { data } };
}

// Every form of location a hostile parent can use to make the service read what it must not; `viaChild` says whether
// a Skein parent sends it as it is (a Child loads the manifest first, so it drops a datafile's local_path and cannot
// load a file:// URL to a directory).
const LOCAL_FORMS: ReadonlyArray<readonly [string, (w: Workspace) => unknown, boolean]> = [
  ['an absolute path', (w) => w.victimDirectory, true],
  ['a relative ../ path', (w) => relative(process.cwd(), w.victimDirectory), true],
  ['a ../ path starting in the allowed root', (w) => join(w.allowed, '..', 'home', '.keys'), true],
  ['an absolute file list', (w) => fileList([w.victimFile], w.allowed), true],
  [
    'a datafile primitive with a local_path',
    (w) =>
      fileList([
        {
          id: 'c0a8012e-7f3b-4b8e-9d2a-5e6f7a8b9c0d',
          path: 'gs://inputs/x',
          local_path: w.victimFile,
          timestamp: null,
          tags: {},
          labels: [],
        },
      ]),
    false,
  ],
  ['a symlinked directory escaping the allowed root', (w) => join(w.allowed, 'escape'), true],
  ['a symlinked file inside an allowed dataset', (w) => join(w.allowed, 'linked-dataset'), true],
  ['a file:// URL', (w) => pathToFileURL(w.victimDirectory).href, false],
  ['a file:// URL file list', (w) => fileList([pathToFileURL(w.victimFile).href]), true],
  ['a dataset without a path (the working directory)', () => fileList([]), false],
];
const SENT_BY_CHILD = LOCAL_FORMS.filter(([, , viaChild]) => viaChild);

describe('Runner: input manifest locations', () => {
  let w: Workspace;
  let appRuns: number;

  function runner(options: { allowedBuckets?: readonly string[] } = {}): Runner {
    return new Runner({
      app: (analysis: Analysis) => {
        appRuns += 1;
        // The app would hand whatever it read back to the parent.
        analysis.outputValues = null;
        throw new Error('crash, so diagnostics are saved');
      },
      twine: TWINE,
      objectStore: w.store,
      diagnosticsCloudPath: DIAGNOSTICS,
      allowedLocalRoots: [join(w.allowed, 'dataset'), join(w.allowed, 'linked-dataset')],
      ...options,
    });
  }

  async function diagnosticsSaved(): Promise<string[]> {
    const listed = await w.store.list(`${DIAGNOSTICS}/`).catch((error: unknown) => {
      if (error instanceof CloudStorageBucketNotFound) return { objects: [] };
      throw error;
    });
    return listed.objects.map((object) => object.name);
  }

  beforeEach(() => {
    w = makeWorkspace();
    appRuns = 0;
  });

  afterEach(() => {
    rmSync(w.root, { recursive: true, force: true });
  });

  it.each(LOCAL_FORMS)(
    'refuses %s with LocalPathNotAllowed before the app runs, and saves no diagnostics',
    async (_, form) => {
      const run = runner().run({ inputManifest: manifest(form(w)), saveDiagnostics: 'SAVE_DIAGNOSTICS_ON_CRASH' });

      await expect(run).rejects.toThrow(LocalPathNotAllowed);
      expect(appRuns).toBe(0);
      expect(await diagnosticsSaved()).toEqual([]);
    },
  );

  it('refuses an http:// URL with UrlHostNotAllowed naming its host, before the app runs', async () => {
    const run = runner().run({ inputManifest: manifest('http://127.0.0.1:9/canary/.signed_metadata_files/x') });

    await expect(run).rejects.toThrow(UrlHostNotAllowed);
    await expect(run).rejects.toMatchObject({ host: '127.0.0.1:9' });
    expect(appRuns).toBe(0);
  });

  it('refuses a gs:// path outside the allowed buckets with BucketNotAllowed, before the app runs', async () => {
    const secret = await Dataset.fromLocalDirectory(w.victimDirectory);
    await secret.upload({ store: w.store, cloudPath: 'gs://service-secrets/keys' });

    const run = runner({ allowedBuckets: ['inputs'] }).run({ inputManifest: manifest('gs://service-secrets/keys') });

    await expect(run).rejects.toThrow(BucketNotAllowed);
    expect(appRuns).toBe(0);
  });

  it('refuses a local file listed by the stored metadata of an allowed gs:// dataset', async () => {
    await w.store.upload('gs://inputs/listed/.octue', JSON.stringify({ dataset: { files: [w.victimFile] } }));

    const run = runner({ allowedBuckets: ['inputs'] }).run({ inputManifest: manifest('gs://inputs/listed') });

    await expect(run).rejects.toThrow(LocalPathNotAllowed);
    expect(appRuns).toBe(0);
    expect(await diagnosticsSaved()).toEqual([]);
  });

  it('loads a dataset inside an allowed root and copies it to the diagnostics when the app crashes', async () => {
    const run = runner().run({
      inputManifest: manifest(join(w.allowed, 'dataset')),
      saveDiagnostics: 'SAVE_DIAGNOSTICS_ON_CRASH',
    });

    await expect(run).rejects.toThrow('crash, so diagnostics are saved');
    expect(appRuns).toBe(1);
    expect(await diagnosticsSaved()).toEqual(
      expect.arrayContaining([expect.stringMatching(/input_manifest_datasets\/data\/a\.csv$/)]),
    );
  });

  it('refuses local paths by default, even where an in-process tree would allow them', async () => {
    const strict = new Runner({ app: () => undefined, twine: TWINE, objectStore: w.store });

    await expect(strict.run({ inputManifest: manifest(join(w.allowed, 'dataset')) })).rejects.toThrow(
      LocalPathNotAllowed,
    );
  });
});

describe('Class: Diagnostics (input manifest locations)', () => {
  let w: Workspace;

  beforeEach(() => {
    w = makeWorkspace();
  });

  afterEach(() => {
    rmSync(w.root, { recursive: true, force: true });
  });

  // Every object the store holds under the diagnostics directory, with its bytes.
  async function uploadedContents(): Promise<string[]> {
    const listed = await w.store.list(`${DIAGNOSTICS}/`).catch(() => ({ objects: [] }));
    return Promise.all(listed.objects.map(async (object) => (await w.store.read(object.location)).toString('utf8')));
  }

  function diagnostics(inputLocations?: LocationPolicy): Diagnostics {
    const logger = createLogger({ sinks: [] });
    const made = new Diagnostics({ cloudPath: DIAGNOSTICS, objectStore: w.store, logger, inputLocations });
    made.addData({ analysisId: 'q1', inputManifest: manifest(w.victimDirectory) });
    return made;
  }

  it('never copies a dataset the question was not allowed to read, keeping its reference', async () => {
    await diagnostics(new LocationPolicy()).upload();

    const contents = await uploadedContents();
    expect(contents.some((text) => text.includes(SECRET))).toBe(false);
    const saved = JSON.parse((await w.store.read(`${DIAGNOSTICS}/q1/input_manifest.json`)).toString('utf8'));
    expect(saved.datasets.data).toBe(w.victimDirectory);
  });

  it('copies the same dataset when no policy applies (what the policy prevents)', async () => {
    await diagnostics(undefined).upload();

    expect((await uploadedContents()).some((text) => text.includes(SECRET))).toBe(true);
  });
});

describe('Service: input manifest locations over a transport', () => {
  let w: Workspace;
  let network: MemoryNetwork;
  let appRuns: number;

  beforeEach(async () => {
    w = makeWorkspace();
    appRuns = 0;
    network = await MemoryNetwork.start();
    const runner = new Runner({
      app: () => {
        appRuns += 1;
      },
      twine: TWINE,
      objectStore: w.store,
      allowedLocalRoots: [join(w.allowed, 'dataset')],
    });
    await network.serve((params) => runner.run(params));
  });

  afterEach(async () => {
    await network.close();
    rmSync(w.root, { recursive: true, force: true });
  });

  it.each(SENT_BY_CHILD)(
    'answers a question naming %s with a LocalPathNotAllowed exception the parent re-raises',
    async (_, form) => {
      const asking = network.child().ask({ inputManifest: manifest(form(w)) as never, allowLocalFiles: true });

      await expect(asking).rejects.toThrow(LocalPathNotAllowed);
      expect(appRuns).toBe(0);
    },
  );

  it('answers an allowed local dataset', async () => {
    const asking = network
      .child()
      .ask({ inputManifest: manifest(join(w.allowed, 'dataset')) as never, allowLocalFiles: true });

    await expect(asking).resolves.toBeDefined();
    expect(appRuns).toBe(1);
  });

  it('reads a dataset the parent signs with the shared local store (a file:// URL under the store root)', async () => {
    const cloudPath = await (
      await Dataset.fromLocalDirectory(join(w.allowed, 'dataset'))
    ).upload({
      store: w.store,
      cloudPath: 'gs://inputs/signed',
    });

    const asking = network.child({ objectStore: w.store }).ask({ inputManifest: manifest(cloudPath) as never });

    await expect(asking).resolves.toBeDefined();
    expect(appRuns).toBe(1);
  });

  it.each(LOCAL_FORMS)('refuses to send %s without allowLocalFiles (parent side)', async (_, form) => {
    const asking = network.child().ask({ inputManifest: manifest(form(w)) as never });

    await expect(asking).rejects.toThrow(FileLocationError);
    expect(appRuns).toBe(0);
  });

  it('refuses to load an unsigned http:// URL on the parent side, naming its host', async () => {
    const asking = network.child().ask({ inputManifest: manifest('http://127.0.0.1:9/canary') as never });

    await expect(asking).rejects.toThrow(UrlHostNotAllowed);
    await expect(asking).rejects.toMatchObject({ host: '127.0.0.1:9' });
    expect(appRuns).toBe(0);
  });
});

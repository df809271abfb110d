import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { loadServiceConfiguration } from '../../../src/core/config';
import { Datafile, Dataset, Manifest } from '../../../src/core/resources';
import { memoryLogSink, Runner } from '../../../src/service';
import type { Analysis } from '../../../src/service';
import { LocalFiles } from '../../../src/service/local-files';
import { createLogger } from '../../../src/service/logging';
import { temporaryStore } from './helpers';

const MANIFEST_ID = '8ead7669-8162-4f64-8cd5-4abe92509e17';
const TWINE = {
  input_manifest: { datasets: { met: {} } },
  output_values_schema: { type: 'object' },
};

/** Where an app put its local files. */
interface LocalPaths {
  readonly datasetDirectory: string;
  readonly datafile: string;
  readonly chosenPath: string;
  readonly temporaryDirectory: string;
}

describe('Class: Runner', () => {
  let storage: ReturnType<typeof temporaryStore>;
  let inputs: string;
  let single: string;

  beforeEach(async () => {
    storage = temporaryStore();
    const directory = join(storage.root, 'local', 'met');
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'a.csv'), 'x\n1\n');
    writeFileSync(join(directory, 'b.csv'), 'x\n2\n');
    inputs = await (
      await Dataset.fromLocalDirectory(directory)
    ).upload({
      store: storage.store,
      cloudPath: 'gs://data/inputs/met',
    });
    single = 'gs://data/single/c.txt';
    await storage.store.upload(single, 'single file');
  });

  afterEach(() => {
    storage.cleanup();
  });

  // Downloads the input dataset (to a temporary directory), a datafile (to a temporary file) and the same datafile to
  // a path the app chose, and makes a temporary directory with a file in it.
  async function downloadingApp(analysis: Analysis): Promise<LocalPaths> {
    const met = analysis.inputManifest?.getDataset('met');
    if (met === undefined) throw new Error('The input manifest has no met dataset.');
    const datasetDirectory = await met.download();
    const datafile = await (await Datafile.fromCloud(single, { store: analysis.objectStore })).download();
    const chosen = await Datafile.fromCloud(single, { store: analysis.objectStore });
    const chosenPath = await chosen.download({ localPath: join(storage.root, 'app-files', 'copy.txt') });
    const temporaryDirectory = await analysis.createTemporaryDirectory();
    writeFileSync(join(temporaryDirectory, 'scratch.txt'), 'scratch');
    const paths = { datasetDirectory, datafile, chosenPath, temporaryDirectory };
    analysis.outputValues = paths;
    return paths;
  }

  // Removes what an app left in the temporary directory (the store's root is removed after each test).
  const removeAll = (paths: LocalPaths): void => {
    for (const path of [paths.datasetDirectory, dirname(paths.datafile), paths.temporaryDirectory]) {
      rmSync(path, { recursive: true, force: true });
    }
  };

  const everyPath = (paths: LocalPaths): string[] => [
    paths.datasetDirectory,
    join(paths.datasetDirectory, 'a.csv'),
    paths.datafile,
    dirname(paths.datafile),
    paths.chosenPath,
    paths.temporaryDirectory,
  ];

  describe('Method: run (deleteLocalFiles)', () => {
    it('deletes the files downloaded and the temporary directories made during the analysis', async () => {
      // Prepare: a file of the app's own, in the directory it downloads to.
      mkdirSync(join(storage.root, 'app-files'), { recursive: true });
      writeFileSync(join(storage.root, 'app-files', 'own.txt'), 'mine');
      const { sink, entries } = memoryLogSink();
      let paths: LocalPaths | undefined;
      const runner = new Runner({
        app: async (analysis: Analysis) => {
          paths = await downloadingApp(analysis);
          for (const path of everyPath(paths)) expect(existsSync(path)).toBe(true);
        },
        twine: TWINE,
        objectStore: storage.store,
        deleteLocalFiles: true,
        logger: createLogger({ sinks: [{ sink }] }),
      });

      // Act
      await runner.run({ inputManifest: { id: MANIFEST_ID, datasets: { met: inputs } } });

      // Assess
      expect(paths).toBeDefined();
      for (const path of everyPath(paths as LocalPaths)) expect(existsSync(path)).toBe(false);
      expect(readFileSync(join(storage.root, 'app-files', 'own.txt'), 'utf8')).toBe('mine');
      expect(entries.filter((entry) => entry.level === 'warning').map((entry) => entry.args)).toEqual([[1], [4]]);
    });

    it.each([
      ['true', false],
      ['false', true],
    ])('follows delete_local_files: %s in octue.yaml (files kept: %s)', async (setting, kept) => {
      // Prepare
      writeFileSync(join(storage.root, 'twine.json'), JSON.stringify(TWINE));
      writeFileSync(
        join(storage.root, 'octue.yaml'),
        `services:\n  - namespace: acme\n    name: downloader\n    delete_local_files: ${setting}\n`,
      );
      const { configuration } = loadServiceConfiguration({ path: join(storage.root, 'octue.yaml'), env: {} });
      let paths: LocalPaths | undefined;
      const runner = Runner.fromConfiguration(configuration, {
        app: async (analysis: Analysis) => {
          paths = await downloadingApp(analysis);
        },
        objectStore: storage.store,
      });

      // Act
      await runner.run({ inputManifest: { id: MANIFEST_ID, datasets: { met: inputs } } });

      // Assess
      const existing = everyPath(paths as LocalPaths).map(existsSync);
      removeAll(paths as LocalPaths);
      expect(existing).toEqual(everyPath(paths as LocalPaths).map(() => kept));
    });

    it('keeps every local file when deleteLocalFiles is off (the default)', async () => {
      let paths: LocalPaths | undefined;
      const runner = new Runner({
        app: async (analysis: Analysis) => {
          paths = await downloadingApp(analysis);
        },
        twine: TWINE,
        objectStore: storage.store,
      });

      await runner.run({ inputManifest: { id: MANIFEST_ID, datasets: { met: inputs } } });

      const kept = everyPath(paths as LocalPaths);
      const existing = kept.filter((path) => existsSync(path));
      removeAll(paths as LocalPaths);
      expect(existing).toEqual(kept);
    });

    it('keeps the local files of an analysis whose app fails, as Octue does', async () => {
      let paths: LocalPaths | undefined;
      const runner = new Runner({
        app: async (analysis: Analysis) => {
          paths = await downloadingApp(analysis);
          throw new RangeError('The app fails after downloading.');
        },
        twine: TWINE,
        objectStore: storage.store,
        deleteLocalFiles: true,
      });

      await expect(runner.run({ inputManifest: { id: MANIFEST_ID, datasets: { met: inputs } } })).rejects.toThrow(
        RangeError,
      );

      const kept = [(paths as LocalPaths).datafile, (paths as LocalPaths).temporaryDirectory].map(existsSync);
      removeAll(paths as LocalPaths);
      expect(kept).toEqual([true, true]);
    });

    it('deletes local copies of input manifest files downloaded without the analysis store', async () => {
      // Prepare: a manifest loaded with the plain store, so only its datafiles show the download.
      const manifest = await Manifest.fromPrimitive(
        { id: MANIFEST_ID, datasets: { met: inputs } },
        { store: storage.store },
      );
      let directory = '';
      const runner = new Runner({
        app: async (analysis: Analysis) => {
          directory = await (analysis.inputManifest?.getDataset('met') as Dataset).download({ store: storage.store });
          analysis.outputValues = { directory };
        },
        twine: TWINE,
        objectStore: storage.store,
        deleteLocalFiles: true,
      });

      // Act
      await runner.run({ inputManifest: manifest });

      // Assess
      expect(directory.startsWith(join(tmpdir(), 'skein-dataset-'))).toBe(true);
      expect(existsSync(directory)).toBe(false);
    });

    it('does not delete the files of another analysis still running', async () => {
      // Prepare: the second analysis downloads, then waits until the first has finished and deleted its files.
      let firstDone!: () => void;
      const first = new Promise<void>((resolve) => {
        firstDone = resolve;
      });
      const downloaded: Record<string, string> = {};
      const runner = new Runner({
        app: async (analysis: Analysis) => {
          const { name } = analysis.inputValues as { name: string };
          downloaded[name] = await (await Datafile.fromCloud(single, { store: analysis.objectStore })).download();
          if (name === 'second') await first;
        },
        twine: { input_values_schema: { type: 'object' } },
        objectStore: storage.store,
        deleteLocalFiles: true,
      });

      // Act
      const second = runner.run({ inputValues: { name: 'second' } });
      await runner.run({ inputValues: { name: 'first' } });
      const secondStillHasItsFile = existsSync(downloaded.second as string);
      firstDone();
      await second;

      // Assess
      expect(secondStillHasItsFile).toBe(true);
      expect(existsSync(downloaded.first as string)).toBe(false);
      expect(existsSync(downloaded.second as string)).toBe(false);
    });

    it('downloads the configuration manifest again in each analysis, as its earlier copies were deleted', async () => {
      // Prepare
      const twine = { configuration_manifest: { datasets: { met: {} } }, output_values_schema: { type: 'object' } };
      const runner = new Runner({
        app: async (analysis: Analysis) => {
          const directory = await (analysis.configurationManifest?.getDataset('met') as Dataset).download();
          analysis.outputValues = { directory, content: readFileSync(join(directory, 'a.csv'), 'utf8') };
        },
        twine,
        configurationManifest: { id: MANIFEST_ID, datasets: { met: inputs } },
        objectStore: storage.store,
        deleteLocalFiles: true,
      });

      // Act
      const first = (await runner.run()).outputValues as { directory: string; content: string };
      const second = (await runner.run()).outputValues as { directory: string; content: string };

      // Assess
      expect([first.content, second.content]).toEqual(['x\n1\n', 'x\n1\n']);
      expect(second.directory).not.toBe(first.directory);
      expect(existsSync(first.directory) || existsSync(second.directory)).toBe(false);
    });
  });
});

describe('Class: LocalFiles', () => {
  describe('Method: delete', () => {
    it('deletes a tracked file outside any download directory, but not its directory', async () => {
      const storage = temporaryStore();
      try {
        const file = join(storage.root, 'kept-directory', 'downloaded.txt');
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, 'x');
        const files = new LocalFiles({ temporaryRoot: storage.root });
        files.registerFile(file);

        await files.delete(createLogger());

        expect(existsSync(file)).toBe(false);
        expect(existsSync(dirname(file))).toBe(true);
        expect(files.tracked).toEqual([]);
      } finally {
        storage.cleanup();
      }
    });

    it('skips files that are already gone', async () => {
      const files = new LocalFiles();
      files.registerFile(join(tmpdir(), 'skein-never-created', 'missing.txt'));

      await expect(files.delete(createLogger())).resolves.toBeUndefined();
    });
  });
});

import { promises as fs } from 'node:fs';
import path from 'node:path';

import { isCloudPath, joinCloudPath } from '../../core/gs-path';
import { setOwnProperty } from '../../core/json/own-property';
import type { ObjectStore } from '../../core/ports/object-store';
import { Manifest } from '../../core/resources';
import {
  CloudStorageBucketNotFound,
  InvalidInputException,
  InvalidRecording,
  ObjectNotFound,
  RecordingNotFound,
} from '../../errors';
import { ChildEmulator } from './child-emulator';
import type { ChildEmulatorOptions } from './child-emulator';
import { normaliseEvents } from './recorded-events';
import { parseRecordingJson } from './recording-file';

/**
 * A test fixture made from a question's crash diagnostics (Octue's `load_test_fixture_from_diagnostics`): everything
 * needed to run the app again as it ran then, with its children replaced by emulators of what they answered.
 */
export interface DiagnosticsFixture {
  /** The configuration values; `undefined` when none were saved. */
  readonly configurationValues: unknown;
  /** The configuration manifest; `undefined` when none was saved. */
  readonly configurationManifest: Manifest | undefined;
  /** The input values; `undefined` when none were saved. */
  readonly inputValues: unknown;
  /** The input manifest; `undefined` when none was saved. */
  readonly inputManifest: Manifest | undefined;
  /** One emulator per question the app asked a child, in the order they were asked. */
  readonly childEmulators: readonly ChildEmulator[];
}

/** Options for {@link loadFixtureFromDiagnostics}. */
export interface DiagnosticsFixtureOptions extends Omit<ChildEmulatorOptions, 'events' | 'id' | 'objectStore'> {
  /**
   * The store to read diagnostics at a `gs://` path from, and `gs://` datasets of the manifests (and of the recorded
   * results' output manifests) through.
   */
  readonly objectStore?: ObjectStore;
}

type Stage = 'configuration' | 'input';

/** Reads the files of one diagnostics directory, local or in an object store. */
interface DiagnosticsReader {
  /** The file's text, or `undefined` when there is no such file. */
  read(name: string): Promise<string | undefined>;
  /** Where a file is, for messages. */
  locate(name: string): string;
  /** The local copy of a manifest's dataset, when the directory has one. */
  localDataset(stage: Stage, key: string): Promise<string | undefined>;
}

async function isDirectory(location: string): Promise<boolean> {
  return fs.stat(location).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}

function localReader(directory: string): DiagnosticsReader {
  return {
    locate: (name) => path.join(directory, name),
    async read(name) {
      const file = path.join(directory, name);
      try {
        return await fs.readFile(file, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return undefined;
        throw new RecordingNotFound(`The diagnostics file '${file}' cannot be read (${code ?? String(error)}).`, {
          path: file,
          cause: error,
        });
      }
    },
    async localDataset(stage, key) {
      const copy = path.join(directory, `${stage}_manifest_datasets`, key);
      return (await isDirectory(copy)) ? copy : undefined;
    },
  };
}

function cloudReader(directory: string, store: ObjectStore): DiagnosticsReader {
  return {
    locate: (name) => joinCloudPath(directory, name),
    async read(name) {
      try {
        return (await store.read(joinCloudPath(directory, name))).toString('utf8');
      } catch (error) {
        if (error instanceof ObjectNotFound || error instanceof CloudStorageBucketNotFound) return undefined;
        throw error;
      }
    },
    localDataset: async () => undefined,
  };
}

async function readerFor(source: string, store: ObjectStore | undefined): Promise<DiagnosticsReader> {
  if (isCloudPath(source)) {
    if (store === undefined) {
      throw new InvalidInputException(
        `Diagnostics at '${source}' are in the cloud: pass { objectStore } to read them, or download them first ` +
          '(skein question diagnostics).',
      );
    }
    return cloudReader(source, store);
  }
  if (!(await isDirectory(source))) {
    throw new RecordingNotFound(
      `No diagnostics directory exists at '${source}'. Download a question's diagnostics first ` +
        '(skein question diagnostics <gs://…/question_uuid> --local-path <dir>).',
      { path: source },
    );
  }
  return localReader(source);
}

async function loadManifest(
  reader: DiagnosticsReader,
  stage: Stage,
  store: ObjectStore | undefined,
): Promise<Manifest | undefined> {
  const name = `${stage}_manifest.json`;
  const text = await reader.read(name);
  if (text === undefined) return undefined;
  const primitive = parseRecordingJson(text, reader.locate(name)) as { datasets?: unknown } | null;
  const datasets = primitive?.datasets;
  if (typeof datasets === 'object' && datasets !== null && !Array.isArray(datasets)) {
    // Diagnostics name the datasets' uploaded copies; where the directory holds a local copy (as
    // `question diagnostics --download-datasets` leaves them), the copy is used, as Octue's CLI rewrites the paths.
    const resolved: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(datasets as Record<string, unknown>)) {
      setOwnProperty(resolved, key, (await reader.localDataset(stage, key)) ?? value);
    }
    return Manifest.fromPrimitive({ ...primitive, datasets: resolved }, store === undefined ? {} : { store });
  }
  return Manifest.fromPrimitive(primitive, store === undefined ? {} : { store });
}

async function loadValues(reader: DiagnosticsReader, stage: Stage): Promise<unknown> {
  const name = `${stage}_values.json`;
  const text = await reader.read(name);
  return text === undefined ? undefined : parseRecordingJson(text, reader.locate(name));
}

function loadChildEmulators(
  text: string | undefined,
  file: string,
  options: DiagnosticsFixtureOptions,
): ChildEmulator[] {
  if (text === undefined) return [];
  const questions = parseRecordingJson(text, file);
  if (!Array.isArray(questions)) {
    throw new InvalidRecording(`'${file}' must be a list of the questions asked to children.`, {
      path: file,
      failures: [{ pointer: '', message: 'must be array', keyword: 'type' }],
    });
  }
  return questions.map((question: unknown, index) => {
    const record = (typeof question === 'object' && question !== null ? question : {}) as Record<string, unknown>;
    // Octue's diagnostics before 0.41 named the list `messages`.
    const key = 'events' in record || !('messages' in record) ? 'events' : 'messages';
    const id = typeof record.id === 'string' && record.id !== '' ? record.id : undefined;
    const { events } = normaliseEvents(record[key], { path: file, pointer: `/${index}/${key}` });
    return new ChildEmulator({ ...options, events, ...(id === undefined ? {} : { id }) });
  });
}

/**
 * Loads a test fixture from a question's crash diagnostics, in the layout Octue and Skein save them
 * (`configuration_values.json`, `configuration_manifest.json`, `input_values.json`, `input_manifest.json`,
 * `questions.json`, and the manifests' datasets under `<stage>_manifest_datasets/<key>/`): the values and manifests
 * that were saved, and one {@link ChildEmulator} per recorded question, in ask order, replaying what the child
 * answered then. A manifest's dataset is loaded from its local copy in the directory when there is one (as
 * `question diagnostics --download-datasets` leaves them), otherwise from the path recorded (`gs://` paths through
 * `objectStore`). Files that were not saved give `undefined` (no `questions.json`: no emulators).
 * @param source - The diagnostics directory: a local directory (e.g. downloaded with `skein question diagnostics`) or
 *   a `gs://…/<question uuid>` path read through `objectStore`.
 * @param options - The object store, and the emulators' settings (logger, error classes, parent SRUID).
 * @returns The fixture.
 * @throws RecordingNotFound when the directory does not exist, holds none of the diagnostics files, or a file
 *   cannot be read; InvalidInputException for a `gs://` path without `objectStore`; InvalidRecording when a file is
 *   not JSON, `questions.json` is not a list or a question's events are empty or malformed; the manifest loading
 *   errors (InvalidManifestException, FileNotFoundException, …).
 */
export async function loadFixtureFromDiagnostics(
  source: string,
  options: DiagnosticsFixtureOptions = {},
): Promise<DiagnosticsFixture> {
  const store = options.objectStore;
  const reader = await readerFor(source, store);
  const questions = await reader.read('questions.json');
  const fixture: DiagnosticsFixture = {
    configurationValues: await loadValues(reader, 'configuration'),
    configurationManifest: await loadManifest(reader, 'configuration', store),
    inputValues: await loadValues(reader, 'input'),
    inputManifest: await loadManifest(reader, 'input', store),
    childEmulators: loadChildEmulators(questions, reader.locate('questions.json'), options),
  };
  const saved = [
    fixture.configurationValues,
    fixture.configurationManifest,
    fixture.inputValues,
    fixture.inputManifest,
  ];
  if (questions === undefined && saved.every((value) => value === undefined)) {
    throw new RecordingNotFound(
      `'${source}' holds none of the diagnostics files (configuration_values.json, configuration_manifest.json, ` +
        'input_values.json, input_manifest.json, questions.json). Point at the directory named after the question uuid.',
      { path: source },
    );
  }
  return fixture;
}

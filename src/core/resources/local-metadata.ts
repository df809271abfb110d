import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

import { InvalidInputException } from '../../errors';
import { decodeOctueJson, encodeOctueJson } from '../json/octue-json';
import { METADATA_FILENAME } from './resource-values';

/**
 * The contents of a local `.octue` metadata file, in Octue's format. A file's directory holds
 * `{"datafiles": {"<file name>": {id, timestamp, tags, labels, sdk_version}}}`; a dataset's directory holds
 * `{"dataset": {id, name, tags, labels, path}}`; one file may hold both. Values are decoded Octue JSON (labels of a
 * datafile come back as a `Set`, timestamps as `Date`s).
 */
export interface LocalMetadataRecords {
  /** Metadata of the datafiles in this directory, by file name. */
  datafiles?: Record<string, Record<string, unknown>>;
  /** Metadata of the dataset rooted at this directory. */
  dataset?: Record<string, unknown>;
  /** Anything else found in the file is kept as it is. */
  [key: string]: unknown;
}

/**
 * The path of the `.octue` file for a directory.
 * @param directory - The directory.
 * @returns `<directory>/.octue`.
 */
export function localMetadataPath(directory: string): string {
  return path.join(directory, METADATA_FILENAME);
}

/**
 * Reads a local `.octue` metadata file.
 *
 * @param filePath - The `.octue` file's path.
 * @returns Its records, or `{}` when the file does not exist.
 * @throws InvalidInputException when the file is not valid JSON or not a JSON object (fix or delete it).
 */
export async function readLocalMetadataFile(filePath: string): Promise<LocalMetadataRecords> {
  let text: string;
  try {
    text = await fs.readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let records: unknown;
  try {
    records = decodeOctueJson(text);
  } catch (error) {
    throw new InvalidInputException(
      `The metadata file at '${filePath}' is incorrectly formatted, so no metadata can be read from it. Fix or ` +
        `delete it.`,
      { cause: error },
    );
  }
  if (records === null || typeof records !== 'object' || Array.isArray(records)) {
    throw new InvalidInputException(`The metadata file at '${filePath}' must hold a JSON object. Fix or delete it.`);
  }
  return records as LocalMetadataRecords;
}

/**
 * Encodes metadata records exactly as Octue writes `.octue` files: Octue JSON, indented by 4, with a final newline.
 *
 * @param records - The records.
 * @returns The file's text.
 */
export function encodeLocalMetadata(records: LocalMetadataRecords): string {
  return `${encodeOctueJson(records, { indent: 4 })}\n`;
}

// One read-modify-write at a time per file, so datafiles of one directory updated together do not lose each
// other's records.
const pendingUpdates = new Map<string, Promise<void>>();

/**
 * Reads a `.octue` file, lets `update` change its records, and writes it back (creating the directory if needed).
 * The write goes to a temporary file that is renamed into place, so readers never see a half-written file.
 *
 * @param filePath - The `.octue` file's path.
 * @param update - Changes the records in place.
 * @returns Once the file is written.
 * @throws InvalidInputException when the existing file is malformed.
 */
export async function updateLocalMetadataFile(
  filePath: string,
  update: (records: LocalMetadataRecords) => void,
): Promise<void> {
  const key = path.resolve(filePath);
  const previous = pendingUpdates.get(key) ?? Promise.resolve();
  const current = previous
    .catch(() => undefined)
    .then(async () => {
      const records = await readLocalMetadataFile(key);
      update(records);
      await fs.mkdir(path.dirname(key), { recursive: true });
      const temporary = `${key}.${randomUUID()}.tmp`;
      await fs.writeFile(temporary, encodeLocalMetadata(records));
      await fs.rename(temporary, key);
    });
  pendingUpdates.set(key, current);
  try {
    await current;
  } finally {
    if (pendingUpdates.get(key) === current) pendingUpdates.delete(key);
  }
}

/**
 * Reads `.octue` files once per directory during one load, since every datafile of a directory shares the file.
 */
export class LocalMetadataCache {
  private readonly files = new Map<string, Promise<LocalMetadataRecords>>();

  /**
   * The records of the `.octue` file in `directory`.
   * @param directory - The directory.
   * @returns Its records (`{}` when there is no file).
   */
  read(directory: string): Promise<LocalMetadataRecords> {
    const key = path.resolve(directory);
    let records = this.files.get(key);
    if (!records) {
      records = readLocalMetadataFile(localMetadataPath(key));
      this.files.set(key, records);
    }
    return records;
  }
}

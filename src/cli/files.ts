import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { StorageRequestFailed } from '../errors';

/**
 * Writes a file named on the command line, creating its folder.
 * @param path - The file.
 * @param text - What to write.
 * @throws StorageRequestFailed (with the path as `location`) when it cannot be written.
 */
export function writeOutputFile(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new StorageRequestFailed(`Cannot write '${path}' (${code}): choose a file in a folder you can write to.`, {
      location: path,
      cause: error,
    });
  }
}

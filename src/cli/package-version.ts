import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Finds Skein's version in its package.json, looking upwards from this file, so it works both from `src/` (tests)
 * and from `dist/src/` (the published CLI).
 * @param start - The directory to start from.
 * @returns The version, or `unknown` when no package.json of Skein is found.
 */
export function packageVersion(start: string = __dirname): string {
  let directory = start;
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === 'skein' && typeof manifest.version === 'string') {
        return manifest.version;
      }
    } catch {
      // No (readable) package.json here; keep looking upwards.
    }
    const parent = dirname(directory);
    if (parent === directory) {
      return 'unknown';
    }
    directory = parent;
  }
}

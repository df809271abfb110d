import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Absolute path of a file under test/fixtures. */
export function fixturePath(...segments: string[]): string {
  return resolve(__dirname, '../../../fixtures', ...segments);
}

/** Runs `act`, which must throw, and returns what it threw (failing the test when nothing is thrown). */
export function thrownBy(act: () => unknown): Error & Record<string, unknown> {
  try {
    act();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('Expected the call to throw, but it returned.');
}

/** A temporary directory for one test file; `cleanUp()` removes it. */
export function makeTempDir(): { path: string; write(name: string, text: string): string; cleanUp(): void } {
  const path = mkdtempSync(join(tmpdir(), 'skein-twine-'));
  return {
    path,
    write(name, text) {
      const file = join(path, name);
      writeFileSync(file, text);
      return file;
    },
    cleanUp() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

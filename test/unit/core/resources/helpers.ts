import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { LocalObjectStore } from '../../../../src/cloud/storage/local-object-store';

/** A temporary directory and a local object store rooted inside it; call `cleanup` after each test. */
export interface Sandbox {
  /** A scratch directory for local files. */
  readonly dir: string;
  /** An object store whose objects live under `<sandbox>/store`. */
  readonly store: LocalObjectStore;
  /** Writes a local file (creating directories) and returns its absolute path. */
  write(relativePath: string, contents: string | Buffer): Promise<string>;
  /** Removes everything. */
  cleanup(): Promise<void>;
}

/** Creates a fresh sandbox under the OS temp directory. */
export async function createSandbox(): Promise<Sandbox> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'skein-resources-test-'));
  const dir = path.join(root, 'local');
  await fs.mkdir(dir);
  return {
    dir,
    store: new LocalObjectStore({ root: path.join(root, 'store') }),
    async write(relativePath, contents) {
      const filePath = path.join(dir, relativePath);
      await fs.mkdir(path.dirname(filePath), { recursive: true });
      await fs.writeFile(filePath, contents);
      return filePath;
    },
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
}

/** Reads a JSON file. */
export async function readJson(filePath: string): Promise<unknown> {
  return JSON.parse(await fs.readFile(filePath, 'utf8')) as unknown;
}

/** Collects a stream into a string. */
export async function streamToString(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

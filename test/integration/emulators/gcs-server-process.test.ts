// The server run as its own process (as the benchmark and the CLI do): it prints one JSON line with its URL, serves
// the real client, and stops cleanly on SIGTERM. Runs the compiled entry point that global setup builds into dist/.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import { Storage } from '@google-cloud/storage';

import { startGcsServer } from '../../../src/emulators/gcs-server';

const entry = resolve(__dirname, '../../../dist/src/emulators/gcs-server/cli-entry.js');

function run(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env } });
  const firstLine = new Promise<string>((resolveLine, reject) => {
    createInterface({ input: child.stdout }).once('line', resolveLine);
    child.once('exit', () => reject(new Error('the server process exited before printing its URL')));
  });
  // Tests of failing starts never read the line; keep its rejection from counting as unhandled.
  firstLine.catch(() => undefined);
  const exit = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return { child, firstLine, exit };
}

describe('Module: gcs-server/cli-entry', () => {
  let dir: string;

  beforeAll(async () => {
    expect(existsSync(entry)).toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'skein-gcs-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints {"url"} on one line, serves the client, and exits cleanly on SIGTERM', async () => {
    const { child, firstLine, exit } = run(['--port', '0', '--directory', dir, '--project-id', 'demo-x']);
    try {
      const { url } = JSON.parse(await firstLine) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const storage = new Storage({ projectId: 'demo-x', apiEndpoint: url });
      await storage.createBucket('proc');
      const data = Buffer.alloc(3 * 1024 * 1024, 5);
      await storage
        .bucket('proc')
        .file('big.bin')
        .save(data, { resumable: true, chunkSize: 1024 * 1024 });
      expect((await storage.bucket('proc').file('big.bin').download())[0].equals(data)).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
    expect(await readdir(join(dir, '.staging'))).toEqual([]);
  });

  it.each([[['--port', 'abc']], [['--unknown']]])('exits with code 1 and a message for arguments %j', async (args) => {
    const { child, exit } = run(args);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exit).toBe(1);
    expect(stderr).toMatch(/Invalid GCS server arguments/);
  });

  it('exits with code 1 when the port is taken', async () => {
    const taken = await startGcsServer({ port: 0 });
    try {
      const { child, exit } = run(['--port', String(taken.port)]);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      expect(await exit).toBe(1);
      expect(stderr).toMatch(/could not listen/);
    } finally {
      await taken.stop();
    }
  });
});

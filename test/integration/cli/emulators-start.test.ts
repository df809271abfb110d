// `skein emulators start` (the real binary): starts the Pub/Sub emulator and the GCS-compatible server, prints the
// environment, serves both until SIGINT, then stops both.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { Server } from 'node:net';

import { PubSubTransport } from '../../../src/cloud/pubsub';
import { GcsObjectStore } from '../../../src/cloud/storage';
import { findFreePort } from '../../../src/emulators/free-port';
import { createTestServiceAccount } from '../../../src/emulators/service-account';
import { SkeinProcess, skein } from './helpers';

interface Ready {
  readonly event: 'ready';
  readonly env: Record<string, string>;
  readonly project_id: string;
  readonly topic: string;
  readonly buckets: string[];
  readonly pubsub: { readonly host: string; readonly pid: number };
  readonly gcs: { readonly url: string; readonly port: number; readonly storage: string };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function refusesConnections(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch {
    return true;
  }
}

describe('Command: skein emulators start', () => {
  it('starts both emulators with the topic and bucket, prints the environment, and stops both on SIGINT', async () => {
    const topic = `cli-emulators-${randomUUID().slice(0, 8)}`;
    const emulators = new SkeinProcess(['emulators', 'start', '--json', '--bucket', 'cli-outputs'], {
      env: { TWINED_SERVICES_TOPIC_NAME: topic },
    });
    try {
      // Prepare: wait for the ready line.
      const ready = JSON.parse(await emulators.nextLine(150_000)) as Ready;
      expect(ready.env).toEqual({
        PUBSUB_EMULATOR_HOST: ready.pubsub.host,
        STORAGE_EMULATOR_HOST: ready.gcs.url,
        GOOGLE_CLOUD_PROJECT: 'demo-skein',
        TWINED_SERVICES_TOPIC_NAME: topic,
      });
      expect(ready.buckets).toEqual(['cli-outputs']);

      // Act: use both through the printed environment.
      const transport = new PubSubTransport({
        projectId: ready.env.GOOGLE_CLOUD_PROJECT as string,
        topicName: ready.env.TWINED_SERVICES_TOPIC_NAME as string,
        apiEndpoint: ready.env.PUBSUB_EMULATOR_HOST,
      });
      const topicExists = await transport.topicExists();
      await transport.close();
      const store = new GcsObjectStore({
        projectId: 'demo-skein',
        apiEndpoint: ready.env.STORAGE_EMULATOR_HOST,
        credentials: createTestServiceAccount().credentials,
      });
      await store.upload('gs://cli-outputs/hello.txt', 'hello');
      const read = (await store.read('gs://cli-outputs/hello.txt')).toString();
      emulators.child.kill('SIGINT');
      const exit = await emulators.exit();

      // Assess
      expect(topicExists).toBe(true);
      expect(read).toBe('hello');
      expect(exit).toEqual({ code: 0, signal: null });
      expect(JSON.parse(await emulators.nextLine())).toEqual({ event: 'stopped' });
      expect(emulators.stderr).toMatch(/^Received SIGINT: stopping the emulators\.$/m);
      expect(isRunning(ready.pubsub.pid)).toBe(false);
      expect(await refusesConnections(`${ready.gcs.url}/storage/v1/b`)).toBe(true);
    } finally {
      await emulators.kill();
    }
  }, 180_000);

  it('prints the variables to export as shell lines without --json', async () => {
    const emulators = new SkeinProcess(['emulators', 'start']);
    try {
      const lines = [
        await emulators.nextLine(150_000),
        await emulators.nextLine(),
        await emulators.nextLine(),
        await emulators.nextLine(),
      ];
      emulators.child.kill('SIGTERM');
      expect(await emulators.exit()).toEqual({ code: 0, signal: null });
      expect(lines).toEqual([
        expect.stringMatching(/^export PUBSUB_EMULATOR_HOST=127\.0\.0\.1:\d+$/),
        expect.stringMatching(/^export STORAGE_EMULATOR_HOST=http:\/\/127\.0\.0\.1:\d+$/),
        'export GOOGLE_CLOUD_PROJECT=demo-skein',
        'export TWINED_SERVICES_TOPIC_NAME=main.octue.twined.services',
      ]);
      expect(emulators.stderr).toMatch(/Press Ctrl-C to stop both\./);
      expect(emulators.stderr).toMatch(/Stopped the Pub\/Sub emulator and the GCS server\.\n$/);
    } finally {
      await emulators.kill();
    }
  }, 180_000);

  it('exits 1 and leaves nothing running when the GCS port is taken', async () => {
    const blocker: Server = createServer();
    const port = await new Promise<number>((resolvePort) => {
      blocker.listen(0, '127.0.0.1', () => resolvePort((blocker.address() as { port: number }).port));
    });
    try {
      const pubsubPort = await findFreePort();
      const run = await skein(['emulators', 'start', '--gcs-port', String(port), '--pubsub-port', String(pubsubPort)]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `skein: error: GcsServerStartFailed: The GCS server could not listen on 127.0.0.1:${port}.\n`,
      );
      // The Pub/Sub emulator, which did start, was stopped.
      expect(await refusesConnections(`http://127.0.0.1:${pubsubPort}/`)).toBe(true);
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  }, 180_000);

  it('exits 2 for a port that is not a number', async () => {
    const run = await skein(['emulators', 'start', '--pubsub-port', 'eighty']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      "skein: error: option '--pubsub-port <port>' argument 'eighty' is invalid. Give a port number from 0 to 65535 " +
        '(0 picks a free port).',
    );
  });
});

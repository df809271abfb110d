import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Storage } from '@google-cloud/storage';

import type { GcsServerOptions, RunningGcsServer } from '../../src/emulators/gcs-server';
import { startGcsServer } from '../../src/emulators/gcs-server';

/** The GCS server's storage backends, for `describe.each`. */
export const GCS_BACKENDS = ['memory', 'directory'] as const;

/** One of {@link GCS_BACKENDS}. */
export type GcsBackend = (typeof GCS_BACKENDS)[number];

/** A GCS server on a free port with the official client pointed at it. */
export interface GcsServerFixture {
  /** The temporary directory (the data directory for the `directory` backend). */
  readonly dir: string;
  readonly server: RunningGcsServer;
  readonly storage: Storage;
  /** Stops the server and removes the directory. */
  stop(): Promise<void>;
}

/** Starts Skein's GCS server on `backend` and a `Storage` client for it (`apiEndpoint`, project `demo-x`). */
export async function startGcsFixture(
  backend: GcsBackend,
  options: Partial<GcsServerOptions> = {},
): Promise<GcsServerFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'skein-gcs-'));
  const server = await startGcsServer({
    port: 0,
    projectId: 'demo-x',
    ...(backend === 'directory' ? { directory: dir } : {}),
    ...options,
  });
  return {
    dir,
    server,
    storage: new Storage({ projectId: 'demo-x', apiEndpoint: server.url }),
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Starts the real components the tests need, once per `npm test`: the official Pub/Sub emulator (its jar, run with
// java), Skein's GCS-compatible server and a throwaway PostgreSQL server (the machine's `postgresql` package), each on
// a free loopback port, and rebuilds dist/ so tests that run the real `skein` binary never see stale code. Workers
// inherit the environment set here.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

import { startGcsServer } from '../../src/emulators/gcs-server';
import { startPostgresServer } from '../../src/emulators/postgres-server';
import { startPubSubEmulator } from '../../src/emulators/pubsub-emulator';
import { registerRunning } from './running';

function buildDist(): void {
  const root = resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}

export default async function globalSetup(): Promise<void> {
  process.env.METADATA_SERVER_DETECTION = 'none';
  buildDist();
  const started = await Promise.allSettled([startPubSubEmulator(), startGcsServer({ port: 0 }), startPostgresServer()]);
  const [pubsubResult, gcsResult, postgresResult] = started;
  if (pubsubResult.status === 'rejected' || gcsResult.status === 'rejected' || postgresResult.status === 'rejected') {
    // Never leave a half-started environment running: stop whatever did start, then fail the run loudly.
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    const failure = (started.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
    throw failure instanceof Error ? failure : new Error(String(failure));
  }
  const pubsub = pubsubResult.value;
  const gcs = gcsResult.value;
  const postgres = postgresResult.value;
  process.env.PUBSUB_EMULATOR_HOST = pubsub.host;
  process.env.SKEIN_TEST_GCS_URL = gcs.url;
  // Hub store tests make a database of their own on this server (see test/helpers/hub-databases.ts).
  process.env.SKEIN_TEST_POSTGRES_URL = postgres.url;
  registerRunning([pubsub, gcs, postgres]);
}

/**
 * `skein/testing`: real local stand-ins for the cloud, for tests and local development. Nothing here mocks a client:
 * the GCS-compatible server speaks the JSON API the official `@google-cloud/storage` client uses, the Pub/Sub
 * emulator is Google's own, and the local object store is the embedded default adapter.
 *
 * @example
 * ```ts
 * import { startGcsServer } from 'skein/testing';
 * const server = await startGcsServer({ port: 0 });
 * const store = new GcsObjectStore({ projectId: 'demo', apiEndpoint: server.url });
 * // …
 * await server.stop();
 * ```
 * @module
 */
export { startGcsServer, GcsServerStartFailed, MemoryBackend, DirectoryBackend } from './emulators/gcs-server';
export type { GcsServerOptions, RunningGcsServer, StorageBackend, SigningKeyInput } from './emulators/gcs-server';
export { createTestServiceAccount } from './emulators/service-account';
export type { TestServiceAccount } from './emulators/service-account';
export { startPubSubEmulator, findPubSubEmulatorJar, EmulatorUnavailable } from './emulators/pubsub-emulator';
export type { RunningPubSubEmulator, PubSubEmulatorOptions } from './emulators/pubsub-emulator';
export {
  startPostgresServer,
  findPostgresBinDir,
  PostgresUnavailable,
  POSTGRES_BIN_DIR_ENV,
} from './emulators/postgres-server';
export type { RunningPostgresServer, PostgresServerOptions } from './emulators/postgres-server';
export { findFreePort } from './emulators/free-port';
export { LocalObjectStore } from './cloud/storage';
export { InMemoryTransport, InMemoryBroker } from './cloud/memory';
export type { InMemoryBrokerOptions, DuplicateDeliveries } from './cloud/memory';
export { memoryLogSink, InProcessClaims } from './service';
// Replaying recorded children (Octue keeps these among its testing utilities too).
export { ChildEmulator, loadFixtureFromDiagnostics } from './service/child-emulator';
export type { DiagnosticsFixture, DiagnosticsFixtureOptions } from './service/child-emulator';

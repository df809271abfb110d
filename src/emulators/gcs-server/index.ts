/**
 * Skein's GCS JSON-API-compatible server for tests and local development: start it with {@link startGcsServer} and
 * point `@google-cloud/storage` at its `url` (`apiEndpoint`, or `STORAGE_EMULATOR_HOST`).
 */
export { startGcsServer, GcsServerStartFailed } from './server';
export type { GcsServerOptions, RunningGcsServer } from './server';
export { runGcsServerMain, parseGcsServerArgs } from './main';
export type { GcsServerProcessIo } from './main';
export { GcsApiError } from './api-error';
export { MemoryBackend } from './memory-backend';
export { DirectoryBackend, GcsDirectoryCorrupt } from './directory-backend';
export type { StorageBackend, StagedBytes, BucketRecord, ObjectRecord, ObjectProperties, ByteRange } from './types';
export type { SigningKeys, SigningKeyInput } from './signed-url';

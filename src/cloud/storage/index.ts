/** Object-store adapters: Google Cloud Storage and the embedded local directory store. */
export { GcsObjectStore } from './gcs-object-store';
export type { GcsObjectStoreOptions } from './gcs-object-store';
export { LocalObjectStore } from './local-object-store';
export type { LocalObjectStoreOptions } from './local-object-store';

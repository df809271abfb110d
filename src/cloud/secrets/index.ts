/** Secret-source adapters: Google Cloud Secret Manager. */
export { SecretManagerSource } from './secret-manager-source';
export type { SecretManagerSourceOptions } from './secret-manager-source';

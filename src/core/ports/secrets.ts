/**
 * Where credentials the environment lacks are looked up (Octue uses Google Cloud Secret Manager:
 * `projects/<project>/secrets/<NAME>/versions/latest`). Adapters live outside the service layer.
 */
export interface SecretSource {
  /**
   * Reads a secret's latest value.
   * @param name - The credential's name, e.g. `MYAPI_SECRET_KEY`.
   * @returns Its latest value, or `undefined` when there is no such secret.
   * @throws A typed Skein error when the source cannot be read (adapters say which, e.g. `SecretAccessError`).
   */
  getSecret(name: string): Promise<string | undefined>;
}

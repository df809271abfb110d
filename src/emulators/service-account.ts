import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The JSON key-file shape Google's clients read (`keyFilename` / `credentials`). */
export interface ServiceAccountCredentials {
  readonly type: 'service_account';
  readonly client_email: string;
  readonly private_key: string;
  readonly project_id: string;
}

/** A throwaway service account for signing URLs offline. */
export interface TestServiceAccount {
  /** The account's email (`X-Goog-Credential` names it). */
  readonly clientEmail: string;
  /** RSA 2048 private key, PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** The matching public key, SPKI PEM: give it to the GCS server as `signingKey`. */
  readonly publicKeyPem: string;
  /** Pass as the storage client's `credentials`. */
  readonly credentials: ServiceAccountCredentials;
  /**
   * Writes the credentials as a JSON key file (mode 0600) named after the account.
   * @param dir - An existing folder.
   * @returns The file's path, for `keyFilename` or `GOOGLE_APPLICATION_CREDENTIALS`.
   */
  writeKeyFile(dir: string): string;
}

/**
 * Creates a service account with a fresh RSA 2048 key pair, so tests can sign URLs with the real storage client
 * (which signs locally) and have Skein's GCS server verify them, without any Google credentials or network.
 *
 * @param options - `clientEmail` (default `skein-test@<projectId>.iam.gserviceaccount.com`) and `projectId`
 *   (default `demo-skein`).
 * @returns The account's keys and credentials.
 * @example
 * ```ts
 * const account = createTestServiceAccount();
 * const server = await startGcsServer({ signingKey: account.publicKeyPem });
 * const storage = new Storage({ apiEndpoint: server.url, credentials: account.credentials });
 * ```
 */
export function createTestServiceAccount(
  options: { clientEmail?: string; projectId?: string } = {},
): TestServiceAccount {
  const projectId = options.projectId ?? 'demo-skein';
  const clientEmail = options.clientEmail ?? `skein-test@${projectId}.iam.gserviceaccount.com`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const credentials: ServiceAccountCredentials = {
    type: 'service_account',
    client_email: clientEmail,
    private_key: privateKey,
    project_id: projectId,
  };
  return {
    clientEmail,
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
    credentials,
    writeKeyFile(dir: string): string {
      const path = join(dir, `${clientEmail.replace(/[^\w.-]/g, '_')}.json`);
      writeFileSync(path, JSON.stringify(credentials, null, 2), { mode: 0o600 });
      return path;
    },
  };
}

import { MIN_SECRET_LENGTH } from '../core/redaction';
import type { SecretRedactor } from '../core/redaction';
import type { Twine } from '../core/twine';
import { runOutsideLogContext } from './logging';
import type { Logger } from './logging';
import type { SecretSource } from './types';

/** An environment that credentials are read from and written into (`process.env` by default). */
export type MutableEnvironment = Record<string, string | undefined>;

/**
 * Reads the twine's credentials: each from the environment, else (when a secret source is configured) from the
 * secret source, which is then put into the environment so the app and its libraries find it there, as Octue does
 * with Google Cloud Secret Manager. The values are added to the analysis's redactor, so that Skein never emits them.
 * @param params - The twine, the environment, the optional secret source and the analysis's redactor.
 * @returns Each credential's value by name; empty when the twine lists none.
 * @throws CredentialNotFound naming the credentials found nowhere.
 */
export async function resolveCredentials(params: {
  readonly twine: Twine;
  readonly env: MutableEnvironment;
  readonly secretSource?: SecretSource;
  readonly logger: Logger;
  readonly redactor?: SecretRedactor;
}): Promise<Record<string, string>> {
  const { twine, env, secretSource, logger, redactor } = params;
  const wanted = twine.strands.credentials ?? [];
  if (wanted.length === 0) return {};
  const missing = wanted.map((credential) => credential.name).filter((name) => env[name] === undefined);
  if (missing.length > 0 && secretSource !== undefined) {
    const found = await Promise.all(missing.map(async (name) => [name, await secretSource.getSecret(name)] as const));
    for (const [name, value] of found) {
      if (value === undefined) continue;
      env[name] = value;
      logger.debug('Credential %s was loaded from the secret source.', name);
    }
  }
  // The twine's check names every credential still missing.
  const credentials = twine.validateCredentials(env);
  for (const [name, value] of Object.entries(credentials)) {
    if (value.length < MIN_SECRET_LENGTH) {
      // For the service's operators only: telling the asking parent which credential is that short would help guess it.
      runOutsideLogContext(() =>
        logger.warning(
          'Credential %s is shorter than %d characters, so it is not redacted from logs and events.',
          name,
          MIN_SECRET_LENGTH,
        ),
      );
    }
  }
  redactor?.add(Object.values(credentials));
  return credentials;
}

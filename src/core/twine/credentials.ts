import { CredentialNotFound } from '../../errors';
import type { CredentialSpecification, Environment } from './types';

/**
 * Reads the credentials a twine lists from an environment. Fetching missing ones from a secret store is the caller's
 * job (done before this check).
 * @param spec - The twine's credentials strand (`undefined` when it has none).
 * @param env - The environment to read, such as `process.env`.
 * @returns Each credential's value by name (empty when the twine lists none).
 * @throws CredentialNotFound naming every missing credential (`credentialName` is the first).
 */
export function readCredentials(
  spec: readonly CredentialSpecification[] | undefined,
  env: Environment,
): Record<string, string> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const { name } of spec ?? []) {
    const value = Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
    if (value === undefined) {
      missing.push(name);
    } else {
      values[name] = value;
    }
  }
  const [first] = missing;
  if (first !== undefined) {
    const names = missing.map((name) => `'${name}'`).join(', ');
    throw new CredentialNotFound(
      `${missing.length === 1 ? 'Credential' : 'Credentials'} ${names} ${missing.length === 1 ? 'is' : 'are'} ` +
        'missing from the environment: set the environment variable (or store the secret where the service loads ' +
        'it from) to fix this.',
      { credentialName: first },
    );
  }
  return values;
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseGcsServerArgs } from '../../../../src/emulators/gcs-server';
import { createTestServiceAccount } from '../../../../src/emulators/service-account';

describe('Function: parseGcsServerArgs', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skein-gcs-args-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads port, host, directory and project id', () => {
    expect(parseGcsServerArgs(['--port', '0', '--host', '0.0.0.0', '--directory', '/d', '--project-id', 'p'])).toEqual({
      port: 0,
      host: '0.0.0.0',
      directory: '/d',
      projectId: 'p',
    });
    expect(parseGcsServerArgs([])).toEqual({});
  });

  it('reads a PEM key file as one key for every signer', async () => {
    const account = createTestServiceAccount();
    const path = join(dir, 'key.pem');
    await writeFile(path, account.publicKeyPem);
    expect(parseGcsServerArgs(['--signing-key-file', path])).toEqual({ signingKey: account.publicKeyPem });
  });

  it('reads a service-account key file as the key of its client_email', () => {
    const account = createTestServiceAccount();
    const path = account.writeKeyFile(dir);
    expect(parseGcsServerArgs(['--signing-key-file', path])).toEqual({
      signingKey: { [account.clientEmail]: account.privateKeyPem },
    });
  });

  it.each([
    [['--port', '12a'], /--port must be a whole number/],
    [['--bogus'], /Invalid GCS server arguments/],
    [['positional'], /Invalid GCS server arguments/],
    [['--signing-key-file', '/no/such/file'], /Cannot read the signing key file/],
  ])('throws GcsServerStartFailed for %j', (argv, message) => {
    expect(() => parseGcsServerArgs(argv)).toThrow(message);
    expect(() => parseGcsServerArgs(argv)).toThrow(expect.objectContaining({ name: 'GcsServerStartFailed' }));
  });

  it('throws GcsServerStartFailed for a JSON key file without private_key', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"client_email":"x"}');
    expect(() => parseGcsServerArgs(['--signing-key-file', path])).toThrow(
      /neither PEM nor a service-account JSON key/,
    );
  });
});

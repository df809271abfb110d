import { createSign, createVerify } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createTestServiceAccount } from '../../../src/emulators/service-account';

describe('Function: createTestServiceAccount', () => {
  it('creates a matching RSA key pair and service-account credentials', () => {
    const account = createTestServiceAccount({ projectId: 'demo-x' });
    expect(account.clientEmail).toBe('skein-test@demo-x.iam.gserviceaccount.com');
    expect(account.credentials).toEqual({
      type: 'service_account',
      client_email: account.clientEmail,
      private_key: account.privateKeyPem,
      project_id: 'demo-x',
    });
    const signature = createSign('RSA-SHA256').update('payload').sign(account.privateKeyPem);
    expect(createVerify('RSA-SHA256').update('payload').verify(account.publicKeyPem, signature)).toBe(true);
  });

  it('makes a different key each time and honours a given email', () => {
    const a = createTestServiceAccount({ clientEmail: 'a@p.iam.gserviceaccount.com' });
    const b = createTestServiceAccount();
    expect(a.clientEmail).toBe('a@p.iam.gserviceaccount.com');
    expect(a.privateKeyPem).not.toBe(b.privateKeyPem);
  });

  it('writes a JSON key file readable only by its owner', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skein-sa-'));
    try {
      const account = createTestServiceAccount();
      const path = account.writeKeyFile(dir);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(account.credentials);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

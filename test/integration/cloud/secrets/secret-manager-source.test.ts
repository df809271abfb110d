// SecretManagerSource with the real Secret Manager client, over its REST transport, against a local HTTP double of the
// API. The client authenticates with a throwaway service account (self-signed JWTs, so no token server is needed).
import { SecretManagerSource } from '../../../../src/cloud/secrets';
import { findFreePort } from '../../../../src/emulators/free-port';
import { createTestServiceAccount } from '../../../../src/emulators/service-account';
import type { TestServiceAccount } from '../../../../src/emulators/service-account';
import { CredentialNotFound, InvalidInputException, SecretAccessError } from '../../../../src/errors';
import { Runner } from '../../../../src/service';
import type { RecordedSecretRequest, SecretManagerDouble } from '../../../helpers/secret-manager-double';
import { startSecretManagerDouble } from '../../../helpers/secret-manager-double';

const PROJECT = 'demo-secrets';
const nothing = (): void => undefined;

let account: TestServiceAccount;
let double: SecretManagerDouble;
let source: SecretManagerSource;

/** A source for `projectId` that talks to the double. */
const sourceFor = (projectId: string): SecretManagerSource =>
  new SecretManagerSource({ projectId, ...double.clientOptions, credentials: account.credentials });

/** Runs `act` and returns the requests the double received meanwhile. */
async function requestsDuring(act: () => Promise<unknown>): Promise<RecordedSecretRequest[]> {
  const before = double.requests.length;
  await act();
  return double.requests.slice(before);
}

beforeAll(async () => {
  account = createTestServiceAccount({ projectId: PROJECT });
  double = await startSecretManagerDouble({
    projectId: PROJECT,
    secrets: {
      CLOUD_CREDENTIALS: 'My precious!',
      UNICODE_SECRET: 'pässwörd ✓ 秘密',
      NO_CHECKSUM_SECRET: { data: 'sent without a checksum', dataCrc32c: null },
      FORBIDDEN_SECRET: { data: 'unreachable', forbidden: true },
      CORRUPTED_SECRET: { data: 'tampered with', dataCrc32c: '12345' },
      BINARY_SECRET: { data: Uint8Array.from([0xff, 0xfe, 0x00, 0xc3]) },
      BROKEN_SECRET: {
        data: 'unreachable',
        reply: {
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } }),
        },
      },
      // What a wrong apiEndpoint may answer: a 404 that is not Secret Manager's, so not "no such secret".
      MISROUTED_SECRET: {
        data: 'unreachable',
        reply: { status: 404, contentType: 'text/html', body: '<html><body>404 Not Found</body></html>' },
      },
      EMPTY_REPLY_SECRET: {
        data: 'unreachable',
        reply: {
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ name: `projects/${PROJECT}/secrets/EMPTY_REPLY_SECRET/versions/1` }),
        },
      },
    },
  });
  source = sourceFor(PROJECT);
});

afterAll(async () => {
  await source?.close();
  await double?.stop();
});

describe('Class: SecretManagerSource', () => {
  describe('Method: constructor', () => {
    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['blank', '   '],
      ['not one path segment', 'demo/secrets'],
    ])('throws InvalidInputException when projectId is %s', (_case, projectId) => {
      const make = (): SecretManagerSource =>
        new SecretManagerSource({ projectId: projectId as string, ...double.clientOptions });

      expect(make).toThrow(InvalidInputException);
      expect(make).toThrow(/needs the Google Cloud project whose secrets it reads.*projectId/);
    });
  });

  describe('Method: getSecret', () => {
    it.each([
      ['CLOUD_CREDENTIALS', 'My precious!'],
      ['UNICODE_SECRET', 'pässwörd ✓ 秘密'],
      ['NO_CHECKSUM_SECRET', 'sent without a checksum'],
    ])(
      'returns the latest value of %s, read from projects/<project>/secrets/<name>/versions/latest',
      async (name, value) => {
        let result: string | undefined;

        const requests = await requestsDuring(async () => (result = await source.getSecret(name)));

        expect(result).toBe(value);
        expect(requests).toEqual([
          expect.objectContaining({
            method: 'GET',
            path: `/v1/projects/${PROJECT}/secrets/${name}/versions/latest:access`,
            project: PROJECT,
            secret: name,
            version: 'latest',
          }),
        ]);
      },
    );

    it('authenticates as the configured service account', async () => {
      const [request] = await requestsDuring(() => source.getSecret('CLOUD_CREDENTIALS'));

      const [scheme, token] = (request?.authorization ?? '').split(' ');
      expect(scheme).toBe('Bearer');
      const claims = JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString('utf8'));
      expect(claims).toEqual(expect.objectContaining({ iss: account.clientEmail }));
    });

    it('returns undefined when the secret does not exist', async () => {
      let result: string | undefined = 'not read';

      const requests = await requestsDuring(async () => (result = await source.getSecret('UNKNOWN_SECRET')));

      expect(result).toBeUndefined();
      expect(requests).toEqual([expect.objectContaining({ project: PROJECT, secret: 'UNKNOWN_SECRET' })]);
    });

    it('reads from its own project, returning undefined when that project lacks the secret', async () => {
      const elsewhere = sourceFor('other-project');
      let result: string | undefined = 'not read';

      try {
        const requests = await requestsDuring(async () => (result = await elsewhere.getSecret('CLOUD_CREDENTIALS')));

        expect(result).toBeUndefined();
        expect(requests).toEqual([expect.objectContaining({ project: 'other-project', secret: 'CLOUD_CREDENTIALS' })]);
      } finally {
        await elsewhere.close();
      }
    });

    it.each([
      ['FORBIDDEN_SECRET', /Permission to read secret 'FORBIDDEN_SECRET'.*roles\/secretmanager\.secretAccessor/, true],
      [
        'CORRUPTED_SECRET',
        /'CORRUPTED_SECRET' .* arrived corrupted: its CRC32C is \d+ but Secret Manager reported 12345/,
        false,
      ],
      ['BINARY_SECRET', /'BINARY_SECRET' in project 'demo-secrets' is not UTF-8 text/, true],
      ['BROKEN_SECRET', /Could not read secret 'BROKEN_SECRET' .*'demo-secrets': Internal error encountered\.$/, true],
      ['MISROUTED_SECRET', /Could not read secret 'MISROUTED_SECRET' .*404 Not Found/, true],
      ['EMPTY_REPLY_SECRET', /returned no payload for secret 'EMPTY_REPLY_SECRET' in project 'demo-secrets'/, false],
    ])('throws SecretAccessError for %s, naming the secret and project', async (name, message, hasCause) => {
      let error: unknown;

      const requests = await requestsDuring(() => source.getSecret(name).catch((e: unknown) => (error = e)));

      expect(error).toBeInstanceOf(SecretAccessError);
      expect(error).toMatchObject({ secretName: name, projectId: PROJECT });
      expect((error as Error).message).toMatch(message);
      expect((error as Error).cause !== undefined).toBe(hasCause);
      expect(requests).toEqual([expect.objectContaining({ project: PROJECT, secret: name, version: 'latest' })]);
    });

    it('throws SecretAccessError with the client error as cause when Secret Manager cannot be reached', async () => {
      const port = await findFreePort();
      const unreachable = new SecretManagerSource({
        projectId: PROJECT,
        ...double.clientOptions,
        port,
        credentials: account.credentials,
      });

      try {
        const read = unreachable.getSecret('CLOUD_CREDENTIALS');

        await expect(read).rejects.toThrow(SecretAccessError);
        await expect(read).rejects.toThrow(/Could not read secret 'CLOUD_CREDENTIALS' .* project 'demo-secrets'/);
        await expect(read).rejects.toMatchObject({ cause: expect.any(Error) });
      } finally {
        await unreachable.close();
      }
    });

    it.each([
      ['empty', ''],
      ['with a slash', 'A/B'],
      ['with a space', 'WITH SPACE'],
      ['longer than 255 characters', 'X'.repeat(256)],
    ])('throws InvalidInputException for a secret id %s, without asking Secret Manager', async (_case, name) => {
      let error: unknown;

      const requests = await requestsDuring(() => source.getSecret(name).catch((e: unknown) => (error = e)));

      expect(error).toBeInstanceOf(InvalidInputException);
      expect((error as Error).message).toMatch('is not a valid Secret Manager secret id');
      expect(requests).toEqual([]);
    });
  });

  describe('Method: close', () => {
    it.each([
      ['after reading a secret', true],
      ['before any use', false],
    ])('makes later reads throw SecretAccessError without a request, %s', async (_case, usedFirst) => {
      const closing = sourceFor(PROJECT);
      if (usedFirst) await closing.getSecret('CLOUD_CREDENTIALS');

      await closing.close();
      let error: unknown;
      const requests = await requestsDuring(() =>
        closing.getSecret('CLOUD_CREDENTIALS').catch((e: unknown) => (error = e)),
      );

      expect(error).toBeInstanceOf(SecretAccessError);
      expect((error as Error).message).toMatch('was closed');
      expect(requests).toEqual([]);
    });
  });
});

describe('Class: Runner', () => {
  describe('Method: run', () => {
    const twine = { credentials: [{ name: 'LOCAL_CREDENTIAL' }, { name: 'CLOUD_CREDENTIALS' }] };

    it('reads credentials from the environment, then Secret Manager, and puts the secrets in the environment', async () => {
      const env: Record<string, string | undefined> = { LOCAL_CREDENTIAL: 'my-secret' };
      const runner = new Runner({ app: nothing, twine, env, secretSource: source });
      let credentials: unknown;

      const requests = await requestsDuring(async () => ({ credentials } = await runner.run()));

      expect(credentials).toEqual({ LOCAL_CREDENTIAL: 'my-secret', CLOUD_CREDENTIALS: 'My precious!' });
      expect(env.CLOUD_CREDENTIALS).toBe('My precious!');
      expect(requests.map((request) => request.path)).toEqual([
        `/v1/projects/${PROJECT}/secrets/CLOUD_CREDENTIALS/versions/latest:access`,
      ]);
    });

    it('throws CredentialNotFound naming a credential Secret Manager does not have either', async () => {
      const runner = new Runner({
        app: nothing,
        twine: { credentials: [{ name: 'UNKNOWN_SECRET' }] },
        env: {},
        secretSource: source,
      });
      let error: unknown;

      const requests = await requestsDuring(() => runner.run().catch((e: unknown) => (error = e)));

      expect(error).toBeInstanceOf(CredentialNotFound);
      expect((error as Error).message).toMatch('UNKNOWN_SECRET');
      expect(requests).toEqual([expect.objectContaining({ project: PROJECT, secret: 'UNKNOWN_SECRET' })]);
    });

    it('rejects with SecretAccessError when Secret Manager refuses a credential', async () => {
      const runner = new Runner({
        app: nothing,
        twine: { credentials: [{ name: 'FORBIDDEN_SECRET' }] },
        env: {},
        secretSource: source,
      });

      await expect(runner.run()).rejects.toThrow(SecretAccessError);
    });
  });
});

import { GoogleFunctionsApi } from '../../../src/cloud/deploy';
import { createTestServiceAccount } from '../../../src/emulators/service-account';
import { DeployRequestFailed, InvalidInputException } from '../../../src/errors';
import { startFunctionsApiDouble } from '../../helpers/functions-api-double';
import type { FunctionsApiDouble } from '../../helpers/functions-api-double';

const PARENT = 'projects/demo-x/locations/europe-west1';
const NAME = `${PARENT}/functions/fn-one`;
const SPEC = {
  name: NAME,
  description: 'test',
  environment: 'GEN_2' as const,
  labels: { 'managed-by': 'skein' },
  buildConfig: { runtime: 'nodejs22', entryPoint: 'one' },
  serviceConfig: {
    availableMemory: '256Mi',
    timeoutSeconds: 60,
    environmentVariables: { A: '1' },
    maxInstanceRequestConcurrency: 1 as const,
    ingressSettings: 'ALLOW_ALL' as const,
    allTrafficOnLatestRevision: true as const,
  },
};

describe('Class: GoogleFunctionsApi', () => {
  let double: FunctionsApiDouble;
  let api: GoogleFunctionsApi;

  beforeAll(async () => {
    double = await startFunctionsApiDouble();
    // A throwaway key: the client signs its own token (self-signed JWT), so nothing leaves the machine.
    api = new GoogleFunctionsApi({
      apiEndpoint: double.url,
      credentials: createTestServiceAccount({ projectId: 'demo-x' }).credentials,
      projectId: 'demo-x',
    });
  });

  afterAll(async () => {
    await api.close();
    await double.stop();
  });

  beforeEach(() => {
    double.requests.length = 0;
    double.functions.clear();
  });

  describe('Method: getFunction', () => {
    it('returns undefined for a function that does not exist', async () => {
      await expect(api.getFunction(NAME)).resolves.toBeUndefined();
      expect(double.apiCalls()).toEqual([`GET /v2/${NAME}`]);
      expect(double.requests[0]?.headers.authorization).toMatch(/^Bearer ey/);
    });
  });

  describe('Method: createFunction and updateFunction', () => {
    it('uploads, creates, then updates in place with the update mask in the query', async () => {
      const upload = await api.generateUploadUrl(PARENT);
      await api.uploadSource(upload.uploadUrl, Buffer.from('PK zip'));
      const source = { storageSource: upload.storageSource };

      const created = await api.createFunction(PARENT, 'fn-one', {
        ...SPEC,
        buildConfig: { ...SPEC.buildConfig, source },
      });
      const updated = await api.updateFunction(
        { ...SPEC, serviceConfig: { ...SPEC.serviceConfig, timeoutSeconds: 120 } },
        ['service_config.timeout_seconds'],
      );

      expect(double.uploads.get(upload.storageSource.object)?.toString()).toBe('PK zip');
      expect(created).toEqual({
        name: NAME,
        state: 'ACTIVE',
        environment: 'GEN_2',
        uri: 'https://fn-one-double.a.run.app',
        serviceAccountEmail: '123456789-compute@developer.gserviceaccount.com',
        updateTime: expect.stringMatching(/^\d{4}-/),
      });
      expect(updated.uri).toBe('https://fn-one-double.a.run.app');
      expect(double.apiCalls()).toEqual([
        `POST /v2/${PARENT}/functions:generateUploadUrl`,
        `POST /v2/${PARENT}/functions`,
        `PATCH /v2/${NAME}`,
      ]);
      const [, create, update] = double.requests.filter((r) => r.path.startsWith('/v2/'));
      expect(create?.query).toEqual({ functionId: 'fn-one' });
      expect(create?.body).toMatchObject({
        buildConfig: { entryPoint: 'one', source: { storageSource: upload.storageSource } },
        serviceConfig: { availableMemory: '256Mi', environmentVariables: { A: '1' } },
      });
      expect(update?.query).toEqual({ updateMask: 'service_config.timeout_seconds' });
      expect(double.functions.get(NAME)?.serviceConfig).toMatchObject({ timeoutSeconds: 120 });
    });
  });

  describe('Method: deleteFunction', () => {
    it('deletes an existing function and reports a missing one as false', async () => {
      await api.createFunction(PARENT, 'fn-one', SPEC);

      await expect(api.deleteFunction(NAME)).resolves.toBe(true);
      await expect(api.deleteFunction(NAME)).resolves.toBe(false);
      expect(double.functions.has(NAME)).toBe(false);
    });
  });

  describe('Method: errors', () => {
    it('wraps a refused request in DeployRequestFailed with the status and a hint', async () => {
      double.failNext({
        method: 'POST',
        pathIncludes: '/functions',
        status: 403,
        statusName: 'PERMISSION_DENIED',
        message: 'Permission cloudfunctions.functions.create denied',
      });

      const failure = api.createFunction(PARENT, 'fn-one', SPEC);

      await expect(failure).rejects.toBeInstanceOf(DeployRequestFailed);
      await expect(failure).rejects.toMatchObject({
        api: 'cloudfunctions',
        operation: 'CreateFunction',
        resource: NAME,
        status: 403,
        message: expect.stringMatching(/Permission cloudfunctions.functions.create denied\..*APIs are enabled/),
      });
    });

    it('wraps a failed upload in DeployRequestFailed without the signature', async () => {
      const upload = await api.generateUploadUrl(PARENT);
      double.failNext({
        method: 'PUT',
        pathIncludes: '/upload/',
        status: 403,
        statusName: 'X',
        message: 'bad signature',
      });

      const failure = api.uploadSource(upload.uploadUrl, Buffer.from('zip'));

      await expect(failure).rejects.toMatchObject({ api: 'upload', status: 403 });
      await expect(failure).rejects.not.toThrow(/X-Goog-Signature/);
    });

    it('refuses an endpoint URL with another scheme', () => {
      expect(() => new GoogleFunctionsApi({ apiEndpoint: 'ftp://127.0.0.1:1' })).toThrow(InvalidInputException);
    });
  });
});

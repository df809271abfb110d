import { readDeploySettings } from '../../../src/deploy/read-settings';
import { InvalidDeployProject, InvalidDeployRegion, InvalidDeploySetting } from '../../../src/errors';
import { configInput } from './config-input';

describe('Function: readDeploySettings', () => {
  describe('Method: defaults and overrides', () => {
    it('reads the project, region, stage, runtime and every function with derived ids when all are given', () => {
      const settings = readDeploySettings(configInput());

      expect(settings).toMatchObject({
        service: 'skein-examples',
        stage: 'dev',
        project: 'demo-x',
        region: 'europe-west1',
        runtime: 'nodejs22',
        servicesTopic: { name: 'main.octue.twined.services', owned: false },
        outputBucket: { name: 'demo-x-skein-examples-dev-outputs', location: 'EUROPE-WEST1', owned: false },
        diagnosticsBucket: { name: 'demo-x-skein-examples-dev-diagnostics', location: 'EUROPE-WEST1', owned: false },
        pushServiceAccount: undefined,
      });
      expect(settings.functions.map((f) => [f.key, f.functionId, f.entryPoint, f.memoryMb, f.timeoutSeconds])).toEqual([
        ['csvStats', 'skein-examples-dev-csv-stats', 'csvStats', 1024, 540],
        ['aggregator', 'skein-examples-dev-aggregator', 'aggregator', 512, 600],
      ]);
      expect(settings.functions[0]?.maxInstances).toBe(20);
      expect(settings.functions[1]?.environment).toEqual({ SKEIN_CHILDREN: '[]' });
    });

    it('lets --project, --region and --stage win over serverless.yml', () => {
      const settings = readDeploySettings(
        configInput({ options: { project: 'other-project', region: 'us-central1', stage: 'prod' } }),
      );

      expect([settings.project, settings.region, settings.stage]).toEqual(['other-project', 'us-central1', 'prod']);
      expect(settings.outputBucket.location).toBe('US-CENTRAL1');
    });

    it('uses the named topic, owned buckets and a push account when custom.skein gives them', () => {
      const settings = readDeploySettings(
        configInput({
          skein: {
            servicesTopic: 'staging.octue.twined.services',
            ownsServicesTopic: true,
            ownsBuckets: 'true',
            outputBucket: 'my-outputs',
            pushServiceAccount: 'pusher@demo-x.iam.gserviceaccount.com',
            source: ['dist', 'twines'],
          },
        }),
      );

      expect(settings.servicesTopic).toEqual({ name: 'staging.octue.twined.services', owned: true });
      expect(settings.outputBucket).toMatchObject({ name: 'my-outputs', owned: true });
      expect(settings.diagnosticsBucket.owned).toBe(true);
      expect(settings.pushServiceAccount).toBe('pusher@demo-x.iam.gserviceaccount.com');
      expect(settings.sourceInclude).toEqual(['dist', 'twines']);
    });

    it('names the topic after servicesEnvironment when no topic is named', () => {
      const settings = readDeploySettings(
        configInput({ skein: { servicesEnvironment: 'staging', servicesTopic: '' } }),
      );

      expect(settings.servicesTopic.name).toBe('staging.octue.twined.services');
    });
  });

  describe('Method: project and region checks', () => {
    it.each([
      ['missing', undefined, /No Google Cloud project is set: pass --project/],
      ['empty (an unset ${env:…} fallback)', '', /No Google Cloud project is set/],
      ['the text undefined', 'undefined', /'undefined' is not a Google Cloud project id/],
      ['the text null', 'null', /'null' is not a Google Cloud project id/],
      ['upper case', 'Demo-Project', /not a Google Cloud project id/],
      ['too short', 'demo', /not a Google Cloud project id/],
      ['a project number', '123456789012', /not a Google Cloud project id/],
      ['ending with a hyphen', 'demo-project-', /not a Google Cloud project id/],
    ])('throws InvalidDeployProject when the project is %s', (_, project, message) => {
      const act = (): unknown => readDeploySettings(configInput({ provider: { project } }));

      expect(act).toThrow(InvalidDeployProject);
      expect(act).toThrow(message);
    });

    it('accepts a domain-scoped project id', () => {
      expect(readDeploySettings(configInput({ provider: { project: 'example.com:my-project' } })).project).toBe(
        'example.com:my-project',
      );
    });

    it.each([
      ['missing', undefined, /No region is set/],
      ['empty', '', /No region is set/],
      ['upper case', 'EUROPE-WEST1', /'EUROPE-WEST1' is not a Google Cloud region/],
      ['with an underscore', 'europe_west1', /not a Google Cloud region/],
      ['a zone', 'europe-west1-b', /not a Google Cloud region/],
      ['a multi-region', 'EU', /not a Google Cloud region/],
      ['the text undefined', 'undefined', /not a Google Cloud region/],
    ])('throws InvalidDeployRegion when the region is %s', (_, region, message) => {
      const act = (): unknown => readDeploySettings(configInput({ provider: { region } }));

      expect(act).toThrow(InvalidDeployRegion);
      expect(act).toThrow(message);
    });

    it('checks the --region option as well', () => {
      expect(() => readDeploySettings(configInput({ options: { region: 'mars-north1-a' } }))).toThrow(
        InvalidDeployRegion,
      );
    });
  });

  describe('Method: other checks', () => {
    const fn = (extra: Record<string, unknown>): Record<string, unknown> => ({
      only: { handler: 'only', sruid: 'acme/only:1.0.0', ...extra },
    });

    it.each([
      [
        'runtime nodejs20 (decommissioned)',
        { provider: { runtime: 'nodejs20' } },
        'provider.runtime',
        /nodejs20 was decommissioned/,
      ],
      ['runtime python312', { provider: { runtime: 'python312' } }, 'provider.runtime', /use nodejs22 or later/],
      ['an upper-case stage', { provider: { stage: 'Prod' } }, 'provider.stage', /not a usable stage/],
      ['no functions', { functions: {} }, 'functions', /declares no functions/],
      [
        'a function without a handler',
        { functions: fn({ handler: undefined }) },
        'functions.only.handler',
        /must name an export/,
      ],
      [
        'a handler that is not an identifier',
        { functions: fn({ handler: 'index.only' }) },
        'functions.only.handler',
        /must name an export/,
      ],
      [
        'a function without an sruid',
        { functions: fn({ sruid: undefined }) },
        'functions.only.sruid',
        /sruid is missing/,
      ],
      [
        'an sruid without a revision tag',
        { functions: fn({ sruid: 'acme/only' }) },
        'functions.only.sruid',
        /no revision tag/,
      ],
      ['a timeout over 600 s', { functions: fn({ timeout: 900 }) }, 'functions.only.timeout', /waits at most 600 s/],
      [
        'a timeout that is not a number',
        { provider: { timeout: '5m' } },
        'provider.timeout',
        /whole number of seconds/,
      ],
      ['memory under 128 MiB', { functions: fn({ memorySize: 64 }) }, 'functions.only.memorySize', /from 128 to 32768/],
      [
        'a reserved environment variable',
        { functions: fn({ environment: { PORT: '8080' } }) },
        'functions.only.environment.PORT',
        /reserved/,
      ],
      [
        'an environment value that is a list',
        { provider: { environment: { A: ['x'] } } },
        'provider.environment.A',
        /must be a string/,
      ],
      ['a function name too long', { functions: fn({ name: 'x'.repeat(70) }) }, 'functions.only.name', /at most 63/],
      [
        'an invalid push account',
        { skein: { pushServiceAccount: 'someone@example.com' } },
        'custom.skein.pushServiceAccount',
        /service account email/,
      ],
      [
        'an invalid bucket',
        { skein: { outputBucket: 'Bad_Bucket' } },
        'custom.skein.outputBucket',
        /not a usable bucket name/,
      ],
      [
        'an invalid topic',
        { skein: { servicesTopic: 'goog-topic' } },
        'custom.skein.servicesTopic',
        /not a valid Pub\/Sub topic name/,
      ],
      [
        'an environment with a dot',
        { skein: { servicesEnvironment: 'a.b' } },
        'custom.skein.servicesEnvironment',
        /no dots/,
      ],
      [
        'ownsBuckets that is not a boolean',
        { skein: { ownsBuckets: 'yes' } },
        'custom.skein.ownsBuckets',
        /true or false/,
      ],
      ['an empty source list', { skein: { source: [] } }, 'custom.skein.source', /non-empty list/],
    ])('throws InvalidDeploySetting naming the setting for %s', (_, overrides, setting, message) => {
      let thrown: unknown;
      try {
        readDeploySettings(configInput(overrides));
      } catch (error) {
        thrown = error;
      }

      expect(thrown).toBeInstanceOf(InvalidDeploySetting);
      expect((thrown as InvalidDeploySetting).setting).toBe(setting);
      expect((thrown as Error).message).toMatch(message);
    });

    it('refuses two functions with the same SRUID, whose subscriptions would collide', () => {
      const functions = {
        a: { handler: 'a', sruid: 'acme/same:1.0.0' },
        b: { handler: 'b', sruid: 'acme/same:1.0.0' },
      };

      expect(() => readDeploySettings(configInput({ functions }))).toThrow(
        /functions.a and functions.b both use the SRUID/,
      );
    });
  });
});

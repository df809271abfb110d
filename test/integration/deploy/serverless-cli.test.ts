import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { PubSub } from '@google-cloud/pubsub';
import JSZip from 'jszip';

import type { DeployPlan } from '../../../src/deploy/plan-types';
import { createTestServiceAccount } from '../../../src/emulators/service-account';
import { startFunctionsApiDouble } from '../../helpers/functions-api-double';
import type { FunctionsApiDouble } from '../../helpers/functions-api-double';

const ROOT = resolve(__dirname, '..', '..', '..');
const SERVERLESS = join(ROOT, 'node_modules', '.bin', 'serverless');

interface RunResult {
  readonly code: number;
  readonly output: string;
}

/** Runs the real Serverless CLI in `cwd` (asynchronously: the functions double answers from this process). */
function serverless(cwd: string, args: readonly string[], env: Record<string, string | undefined>): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    execFile(
      SERVERLESS,
      [...args],
      { cwd, env: env as NodeJS.ProcessEnv, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolvePromise({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

describe('Command: serverless (Skein plugin, real CLI)', () => {
  let dir: string;
  let baseEnv: Record<string, string | undefined>;
  const project = `skein-cli-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    // A copy of the service: the repository's serverless.yml and package.json, the compiled plugin (dist/src, linked),
    // and small stand-ins for the compiled functions and twines so this test does not depend on the example apps.
    dir = await mkdtemp(join(tmpdir(), 'skein-sls-'));
    await copyFile(join(ROOT, 'serverless.yml'), join(dir, 'serverless.yml'));
    await copyFile(join(ROOT, 'package.json'), join(dir, 'package.json'));
    await mkdir(join(dir, 'dist', 'functions'), { recursive: true });
    await symlink(join(ROOT, 'dist', 'src'), join(dir, 'dist', 'src'), 'dir');
    await writeFile(join(dir, 'dist', 'functions', 'index.js'), 'exports.csvStats = exports.aggregator = () => {};\n');
    await writeFile(join(dir, 'dist', 'functions', 'index.js.map'), '{}');
    await mkdir(join(dir, 'twines'));
    await writeFile(join(dir, 'twines', 'csv-stats.json'), '{"input_manifest": {}}');
    await writeFile(join(dir, 'twines', 'aggregator.json'), '{"children": []}');
    baseEnv = {
      ...process.env,
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      GOOGLE_CLOUD_PROJECT: undefined,
      GOOGLE_CLOUD_REGION: undefined,
      TWINED_SERVICES_TOPIC_NAME: undefined,
      SKEIN_PUSH_SERVICE_ACCOUNT: undefined,
    };
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('packages offline: the source zip, the plan and its summary', async () => {
    const result = await serverless(dir, ['package', '--project', project, '--stage', 'ci'], baseEnv);

    expect(result.output).toContain('Deployment plan:');
    expect(result.code).toBe(0);
    const zip = await JSZip.loadAsync(await readFile(join(dir, '.serverless', 'skein-examples.zip')));
    const names = Object.keys(zip.files);
    expect(names).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/functions/index.js',
        'dist/src/deploy/plugin.js',
        'twines/csv-stats.json',
        'twines/aggregator.json',
      ]),
    );
    expect(names.filter((n) => n.endsWith('.map') || n.endsWith('.d.ts'))).toEqual([]);
    const deployedPackage = JSON.parse(await zip.file('package.json')!.async('string')) as Record<string, unknown>;
    expect(deployedPackage).toMatchObject({ main: 'dist/functions/index.js', private: true });
    expect(deployedPackage.scripts).toBeUndefined();
    expect(deployedPackage.devDependencies).toBeUndefined();

    const plan = JSON.parse(await readFile(join(dir, '.serverless', 'skein-deploy-plan.json'), 'utf8')) as DeployPlan;
    expect(plan).toMatchObject({ project, region: 'europe-west1', stage: 'ci', runtime: 'nodejs22' });
    expect(plan.source.files).toEqual([...names].sort());
    expect(plan.deploy.map((s) => s.action)).toEqual([
      'ensure-bucket',
      'ensure-bucket',
      'ensure-topic',
      'upload-source',
      'upsert-function',
      'upsert-subscription',
      'upload-source',
      'upsert-function',
      'upsert-subscription',
    ]);
    expect(plan.services.map((s) => s.functionName)).toEqual([
      `projects/${project}/locations/europe-west1/functions/skein-examples-ci-csv-stats`,
      `projects/${project}/locations/europe-west1/functions/skein-examples-ci-aggregator`,
    ]);
    expect(JSON.stringify(plan)).not.toContain('undefined');
    const summary = await readFile(join(dir, '.serverless', 'skein-deploy-plan.txt'), 'utf8');
    for (const request of plan.deploy.flatMap((s) => s.requests)) expect(summary).toContain(request.http);
  });

  it('stops with InvalidDeployProject, before writing anything, when no project is given', async () => {
    const result = await serverless(dir, ['package', '--stage', 'ci', '--package', 'no-project'], baseEnv);

    expect(result.code).not.toBe(0);
    expect(result.output).toContain('InvalidDeployProject: No Google Cloud project is set');
    await expect(stat(join(dir, 'no-project'))).rejects.toThrow();
  });

  describe('Method: deploy and remove', () => {
    let double: FunctionsApiDouble;
    let pubsub: PubSub;
    let deployEnv: Record<string, string | undefined>;
    const subscription = `projects/${project}/subscriptions/skein-examples.csv-stats.0-1-0`;

    beforeAll(async () => {
      double = await startFunctionsApiDouble();
      pubsub = new PubSub({ projectId: project });
      deployEnv = {
        ...baseEnv,
        SKEIN_FUNCTIONS_API_ENDPOINT: double.url,
        GOOGLE_APPLICATION_CREDENTIALS: createTestServiceAccount({ projectId: project }).writeKeyFile(dir),
        STORAGE_EMULATOR_HOST: process.env.SKEIN_TEST_GCS_URL,
      };
    });

    afterAll(async () => {
      await pubsub.close();
      await double.stop();
    });

    it('deploys through the Functions API, Pub/Sub and Cloud Storage, then removes what it created', async () => {
      const deployed = await serverless(dir, ['deploy', '--project', project, '--stage', 'ci'], deployEnv);

      expect(deployed.output).toContain('skein-examples-ci-csv-stats-double.a.run.app');
      expect(deployed.code).toBe(0);
      const zip = await readFile(join(dir, '.serverless', 'skein-examples.zip'));
      // Buffer.equals: jest's deep equality is slow on a zip of several hundred kilobytes.
      expect([...double.uploads.values()].map((upload) => upload.equals(zip))).toEqual([true, true]);
      expect(double.apiCalls().filter((call) => call.startsWith('POST') && !call.includes(':'))).toHaveLength(2);
      const [metadata] = await pubsub.subscription(subscription).getMetadata();
      expect(metadata.pushConfig?.pushEndpoint).toBe(
        `https://skein-examples-ci-csv-stats-double.a.run.app/projects/${project}/topics/main.octue.twined.services`,
      );

      const removed = await serverless(dir, ['remove', '--project', project, '--stage', 'ci'], deployEnv);

      expect(removed.code).toBe(0);
      expect(double.functions.size).toBe(0);
      const [exists] = await pubsub.subscription(subscription).exists();
      expect(exists).toBe(false);
    });
  });
});

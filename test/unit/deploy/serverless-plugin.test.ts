import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { PLAN_FILE, readPackagedPlan } from '../../../src/deploy/plan-file';
import { InMemoryDeployTarget } from '../../../src/deploy/ports';
import { PROVIDER_SCHEMA } from '../../../src/deploy/serverless-schema';
import { SkeinServerlessPlugin } from '../../../src/deploy/serverless-plugin';
import type { ServerlessInstance } from '../../../src/deploy/serverless-types';
import { InvalidDeployProject } from '../../../src/errors';
import { configInput } from './config-input';

/** Serverless's user-error class has this shape: a message and a code. */
class ServerlessUserError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface Harness {
  readonly plugin: SkeinServerlessPlugin;
  readonly serverless: ServerlessInstance & { providers: Map<string, unknown>; schemas: unknown[] };
  readonly target: InMemoryDeployTarget;
  readonly logs: string[];
  readonly output: string[];
}

function harness(
  serviceDir: string,
  options: Record<string, unknown>,
  provider: Record<string, unknown> = {},
): Harness {
  const input = configInput({ provider });
  const providers = new Map<string, unknown>();
  const schemas: unknown[] = [];
  const serverless = {
    serviceDir,
    service: {
      service: input.service,
      provider: { ...input.provider },
      functions: { ...input.functions },
      custom: { skein: { source: ['dist', 'twines'] } },
      package: {},
    },
    setProvider: (name: string, value: unknown) => providers.set(name, value),
    configSchemaHandler: { defineProvider: (_: string, schema: unknown) => schemas.push(schema) },
    classes: { Error: ServerlessUserError },
    providers,
    schemas,
  };
  const target = new InMemoryDeployTarget();
  const logs: string[] = [];
  const output: string[] = [];
  const plugin = new SkeinServerlessPlugin(
    serverless,
    options,
    { log: (text) => logs.push(text), writeText: (text) => output.push(...[text].flat()) },
    () => target,
  );
  return { plugin, serverless, target, logs, output };
}

async function runHook(h: Harness, event: string): Promise<void> {
  const hook = h.plugin.hooks[event];
  if (hook === undefined) throw new Error(`no hook for ${event}`);
  await hook();
}

describe('Class: SkeinServerlessPlugin', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skein-plugin-'));
    const files: Record<string, string> = {
      'package.json': JSON.stringify({
        name: 's',
        version: '1.0.0',
        dependencies: { '@google-cloud/functions-framework': '5.0.5' },
      }),
      'dist/functions/index.js': 'exports.csvStats = exports.aggregator = () => {};\n',
      'twines/csv-stats.json': '{}',
      'twines/aggregator.json': '{}',
    };
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('Method: constructor', () => {
    it('registers the google provider and its configuration schema', () => {
      const h = harness(dir, {});

      expect(SkeinServerlessPlugin.getProviderName()).toBe('google');
      expect(h.serverless.providers.get('google')).toBe(h.plugin);
      expect(h.serverless.schemas).toEqual([PROVIDER_SCHEMA]);
      expect(Object.keys(h.plugin.hooks).sort()).toEqual([
        'before:package:createDeploymentArtifacts',
        'deploy:deploy',
        'info:info',
        'remove:remove',
      ]);
    });
  });

  describe('Method: hooks', () => {
    it('packages, deploys, shows info and removes through the deploy target', async () => {
      const h = harness(dir, { stage: 'dev' });

      await runHook(h, 'before:package:createDeploymentArtifacts');
      const artifact = h.serverless.service.package.artifact;
      await runHook(h, 'deploy:deploy');
      await runHook(h, 'info:info');
      await runHook(h, 'remove:remove');

      expect(artifact).toBe(join(dir, '.serverless', 'skein-examples.zip'));
      expect((await stat(join(dir, '.serverless', PLAN_FILE))).isFile()).toBe(true);
      const { archive } = await readPackagedPlan(join(dir, '.serverless'));
      expect([...h.target.uploads.values()]).toEqual([archive, archive]);
      expect(h.target.calls.filter((c) => c.method === 'createFunction')).toHaveLength(2);
      expect(h.output.join('\n')).toContain('skein-examples-dev-csv-stats-demo-x.a.run.app');
      expect(h.output.join('\n')).toContain(
        'services topic: projects/demo-x/topics/main.octue.twined.services (exists)',
      );
      expect(h.target.functionSpecs.size).toBe(0);
      expect(h.logs.some((line) => line.startsWith('Deployment plan: '))).toBe(true);
    });

    it('writes the package where --package says', async () => {
      const h = harness(dir, { package: join(dir, 'out') });

      await runHook(h, 'before:package:createDeploymentArtifacts');

      expect((await stat(join(dir, 'out', 'skein-examples.zip'))).isFile()).toBe(true);
    });

    it('turns a missing project into a Serverless user error carrying the typed error', async () => {
      const h = harness(dir, {}, { project: '' });

      const failure = runHook(h, 'before:package:createDeploymentArtifacts');

      await expect(failure).rejects.toBeInstanceOf(ServerlessUserError);
      await expect(failure).rejects.toMatchObject({
        code: 'SKEIN_INVALID_DEPLOY_PROJECT',
        message: expect.stringMatching(/^InvalidDeployProject: No Google Cloud project is set/),
        cause: expect.any(InvalidDeployProject),
      });
      await expect(stat(join(dir, '.serverless', PLAN_FILE))).rejects.toThrow();
    });

    it('refuses to deploy a package planned for another project than --project', async () => {
      await runHook(harness(dir, {}), 'before:package:createDeploymentArtifacts');
      const h = harness(dir, { project: 'other-project' });

      await expect(runHook(h, 'deploy:deploy')).rejects.toThrow(/planned for project demo-x, not other-project/);
      expect(h.target.calls).toEqual([]);
    });
  });
});

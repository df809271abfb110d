import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import JSZip from 'jszip';

import { buildDeployPlan } from '../../../src/deploy/plan';
import { PLAN_FILE, PLAN_SUMMARY_FILE, readPackagedPlan, writePlanFiles } from '../../../src/deploy/plan-file';
import { readDeploySettings } from '../../../src/deploy/read-settings';
import { buildSourceArchive, DEPLOY_MAIN } from '../../../src/deploy/source-archive';
import { DeploySourceError } from '../../../src/errors';
import { configInput } from './config-input';

const PROJECT_PACKAGE = {
  name: 'my-services',
  version: '1.2.3',
  license: 'MIT',
  main: 'dist/src/index.js',
  engines: { node: '>=20' },
  scripts: { prepare: 'npm run build', build: 'tsc' },
  dependencies: { '@google-cloud/functions-framework': '5.0.5', ajv: '8.20.0' },
  devDependencies: { typescript: '5.9.3' },
};

async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

describe('Function: buildSourceArchive', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skein-archive-'));
    await write(dir, {
      'package.json': JSON.stringify(PROJECT_PACKAGE),
      [DEPLOY_MAIN]: 'exports.csvStats = () => {};\n',
      'dist/functions/index.js.map': '{}',
      'dist/functions/index.d.ts': 'export {};',
      'dist/src/index.js': 'module.exports = {};\n',
      'dist/src/node_modules/stray/index.js': '',
      'twines/csv-stats.json': '{"input_values_schema": {}}',
      'src/index.ts': 'export {};',
    });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const build = (
    extra: Partial<Parameters<typeof buildSourceArchive>[0]> = {},
  ): ReturnType<typeof buildSourceArchive> =>
    buildSourceArchive({
      serviceDir: dir,
      include: ['dist/src', 'dist/functions', 'dist/apps', 'twines'],
      twines: ['twines/csv-stats.json'],
      outputPath: join(dir, '.serverless', 'my-services.zip'),
      ...extra,
    });

  it('zips the compiled code and twines with a deployment package.json, without maps, types or sources', async () => {
    const { info, archive, missing } = await build();
    const zip = await JSZip.loadAsync(archive);

    expect(Object.keys(zip.files).sort()).toEqual([
      'dist/functions/index.js',
      'dist/src/index.js',
      'package.json',
      'twines/csv-stats.json',
    ]);
    expect(info.files).toEqual(Object.keys(zip.files).sort());
    expect(missing).toEqual(['dist/apps']);
    expect(await readFile(join(dir, '.serverless', 'my-services.zip'))).toEqual(archive);
    expect(JSON.parse(await zip.file('package.json')!.async('string'))).toEqual({
      private: true,
      name: 'my-services',
      version: '1.2.3',
      license: 'MIT',
      engines: { node: '>=20' },
      dependencies: { '@google-cloud/functions-framework': '5.0.5', ajv: '8.20.0' },
      main: DEPLOY_MAIN,
    });
  });

  it('gives the same bytes and sha256 for the same files', async () => {
    const first = await build();
    const second = await build({ outputPath: join(dir, 'other.zip') });

    expect(second.info.sha256).toBe(first.info.sha256);
    expect(second.archive.equals(first.archive)).toBe(true);
    expect(first.info.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['the build output is missing', async () => rm(join(dir, DEPLOY_MAIN)), /run `npm run build` first/],
    ['package.json is missing', async () => rm(join(dir, 'package.json')), /Cannot read package.json/],
    [
      'package.json is not JSON',
      async () => writeFile(join(dir, 'package.json'), '{'),
      /package.json .* is not valid JSON/,
    ],
    [
      'functions-framework is not a dependency',
      async () => writeFile(join(dir, 'package.json'), JSON.stringify({ ...PROJECT_PACKAGE, dependencies: {} })),
      /must list @google-cloud\/functions-framework/,
    ],
    [
      'a twine is not JSON',
      async () => writeFile(join(dir, 'twines/csv-stats.json'), 'nope'),
      /twine .* is not valid JSON/,
    ],
    ['a twine is missing', async () => rm(join(dir, 'twines/csv-stats.json')), /Cannot read the twine/],
  ])('throws DeploySourceError when %s', async (_, breakIt, message) => {
    await breakIt();

    await expect(build()).rejects.toThrow(DeploySourceError);
    await expect(build()).rejects.toThrow(message);
  });

  it('throws DeploySourceError when a twine is outside the zipped paths', async () => {
    await expect(build({ include: ['dist'] })).rejects.toThrow(/twine twines\/csv-stats.json is not in the source zip/);
  });

  it('throws DeploySourceError when an include entry leaves the service directory', async () => {
    await expect(build({ include: ['../elsewhere'] })).rejects.toThrow(/must be inside the service directory/);
  });
});

describe('Function: readPackagedPlan', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skein-plan-'));
    await write(dir, {
      'package.json': JSON.stringify(PROJECT_PACKAGE),
      [DEPLOY_MAIN]: 'exports.csvStats = () => {};\n',
      'twines/csv-stats.json': '{}',
      'twines/aggregator.json': '{}',
    });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function packageInto(out: string): Promise<ReturnType<typeof buildDeployPlan>> {
    const { info } = await buildSourceArchive({
      serviceDir: dir,
      include: ['dist', 'twines'],
      outputPath: join(out, 'skein-examples.zip'),
    });
    const plan = buildDeployPlan(readDeploySettings(configInput()), info);
    await writePlanFiles(out, plan);
    return plan;
  }

  it('reads back the plan and the zip it was made for', async () => {
    const out = join(dir, '.serverless');
    const plan = await packageInto(out);

    const read = await readPackagedPlan(out);

    expect(read.plan).toEqual(plan);
    expect(read.archive.length).toBe(plan.source.sizeBytes);
    expect(await readFile(join(out, PLAN_SUMMARY_FILE), 'utf8')).toContain('serverless deploy makes these requests');
  });

  it.each([
    [
      'there is no plan',
      async (_out: string) => undefined,
      /Cannot read the deployment plan .*run serverless package first/,
    ],
    [
      'the plan has another format',
      async (out: string) =>
        writeFile(join(out, PLAN_FILE), JSON.stringify({ format: 'other/9', deploy: [], source: {} })),
      /is not a skein-deploy-plan\/1 plan/,
    ],
    [
      'the zip changed after planning',
      async (out: string) => writeFile(join(out, 'skein-examples.zip'), 'tampered'),
      /is not the zip the plan was made for/,
    ],
    ['the zip is missing', async (out: string) => rm(join(out, 'skein-examples.zip')), /Cannot read the source zip/],
  ])('throws DeploySourceError when %s', async (name, breakIt, message) => {
    const out = join(dir, '.serverless');
    if (name !== 'there is no plan') await packageInto(out);
    await mkdir(out, { recursive: true });
    await breakIt(out);

    await expect(readPackagedPlan(out)).rejects.toThrow(DeploySourceError);
    await expect(readPackagedPlan(out)).rejects.toThrow(message);
  });
});

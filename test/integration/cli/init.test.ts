// `skein init` (the real binary) scaffolds a service whose own tests pass straight away, with the built package
// linked in as `skein` (as `npm install` would put it).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import ts from 'typescript';

import { ROOT, skein } from './helpers';
import type { Run } from './helpers';

function node(args: string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('Command: skein init', () => {
  const temp = mkdtempSync(join(tmpdir(), 'skein-cli-init-'));
  const service = join(temp, 'number-stats');
  let created: Run;

  beforeAll(async () => {
    created = await skein(['init', service, '--namespace', 'acme', '--json']);
    if (created.code === 0) {
      mkdirSync(join(service, 'node_modules'));
      symlinkSync(ROOT, join(service, 'node_modules', 'skein'), 'dir');
    }
  }, 120_000);

  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('creates the service files, its typed strands and a recorded answer', () => {
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({
      directory: service,
      service_id: 'acme/number-stats:0.1.0',
      files: [
        '.gitignore',
        'README.md',
        'app/app.js',
        'functions/index.js',
        'input-values.json',
        'octue.yaml',
        'package.json',
        'serverless.yml',
        'test/app.test.js',
        'test/fixtures/answer-events.json',
        'twine-types.d.ts',
        'twine.json',
      ],
    });
    const recorded = JSON.parse(readFileSync(join(service, 'test/fixtures/answer-events.json'), 'utf8')) as {
      event: { kind: string };
      attributes: { sender: string };
    }[];
    expect(recorded.map(({ event }) => event.kind)).toEqual(
      expect.arrayContaining(['delivery_acknowledgement', 'monitor_message', 'log_record', 'result']),
    );
    expect(recorded.at(-1)?.attributes.sender).toBe('acme/number-stats:0.1.0');
    expect(readFileSync(join(service, 'serverless.yml'), 'utf8')).toMatch(
      /^ {2}numberStats:\n {4}handler: numberStats\n {4}sruid: acme\/number-stats:0\.1\.0\n/m,
    );
  });

  it("passes its own tests (node's test runner: the app, the twine, and the recorded answer replayed)", async () => {
    const tests = await node(['--test', 'test/'], service);
    expect(tests.stdout).toMatch(/^# pass 3$/m);
    expect(tests.stdout).toMatch(/^# fail 0$/m);
    expect(tests.code).toBe(0);
  });

  it('has a Cloud Run function entry point exporting the CloudEvent handler', async () => {
    const loaded = await node(['-e', "process.stdout.write(typeof require('./functions').numberStats)"], service);
    expect(loaded).toEqual({ code: 0, stdout: 'function', stderr: '' });
  });

  it('runs with skein run and answers with skein ask-local', async () => {
    const run = await skein(['run', '-i', 'input-values.json'], { cwd: service });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      output_values: { count: 4, mean: 2.5, minimum: 1, maximum: 4 },
      output_manifest: null,
    });
    const asked = await skein(['ask-local', '-i', '{"numbers": [5]}'], { cwd: service });
    expect(asked.code).toBe(0);
    expect(JSON.parse(asked.stdout)).toEqual({
      kind: 'result',
      output_values: { count: 1, mean: 5, minimum: 5, maximum: 5 },
    });
  });

  it('types the app from the twine: its JavaScript type-checks, and a wrongly typed change does not', () => {
    const check = (file: string): string[] => {
      const program = ts.createProgram([file], {
        allowJs: true,
        checkJs: true,
        noEmit: true,
        strict: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
        skipLibCheck: true,
      });
      return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    };
    expect(check(join(service, 'app/app.js'))).toEqual([]);
    const broken = readFileSync(join(service, 'app/app.js'), 'utf8').replace('count: numbers.length', "count: 'four'");
    writeFileSync(join(service, 'app/broken.js'), broken);
    expect(check(join(service, 'app/broken.js')).join('\n')).toMatch(
      /Type 'string' is not assignable to type 'number'/,
    );
  });

  it('exits 1 without touching a directory that is not empty', async () => {
    const run = await skein(['init', service]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `skein: error: InvalidInputException: The directory '${service}' is not empty: give a new directory, or pass ` +
        "--force to write the service's files into it (files with the same names are replaced).\n",
    );
  });

  it.each([
    [
      'a reserved namespace',
      'reserved',
      ['--namespace', 'example'],
      /^skein: error: InvalidServiceID: The namespace 'example' is reserved/,
    ],
    [
      'a name that is not kebab case',
      'bad-name',
      ['--name', 'Number_Stats'],
      /^skein: error: InvalidServiceID: 'Number_Stats' is not a valid name/,
    ],
    ['a bad revision tag', 'bad-tag', ['--revision-tag', '1.0-'], /^skein: error: InvalidServiceID: /],
  ])('exits 1 and writes nothing for %s', async (_case, directory, args, message) => {
    const target = join(temp, directory);
    const run = await skein(['init', target, ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(existsSync(target)).toBe(false);
  });

  it('exits 2 without a directory', async () => {
    const run = await skein(['init']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing required argument 'dir'/);
  });
});

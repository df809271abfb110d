// Runs the real `skein` binary (bin/skein.js → dist/) from the repository root, as a user would.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const OCTUE_TWINES = join(ROOT, 'test/fixtures/octue/twines');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function skein(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, ['bin/skein.js', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

describe('Command: skein twine validate', () => {
  const temp = mkdtempSync(join(tmpdir(), 'skein-cli-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  function write(name: string, content: unknown): string {
    const path = join(temp, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  it('exits 0 and says which strands it checked when the input values are valid', async () => {
    const run = await skein('twine', 'validate', 'examples/twine.json', '--input-values', 'examples/input-values.json');
    expect(run).toEqual({
      code: 0,
      stdout: 'valid: checked twine (examples/twine.json), input_values (examples/input-values.json)\n',
      stderr: '',
    });
  });

  it('exits 1 and lists every failure with its strand and JSON pointer when the input values are invalid', async () => {
    const run = await skein(
      'twine',
      'validate',
      'examples/twine.json',
      '--input-values',
      'examples/input-values-invalid.json',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      'invalid: 1 problem (checked twine (examples/twine.json), input_values (examples/input-values-invalid.json))',
      "input_values: InvalidValuesContents: The input_values do not satisfy the twine's input_values_schema.",
      '  input_values /statistics/1: must be equal to one of the allowed values: "mean", "median", "min", "max", "std"',
      "  input_values /time_window/end: must have required property 'end'",
      '  input_values /time_window/start: must match format "date-time"',
      '  input_values /min_rows: must be >= 1',
      '',
    ]);
  });

  it('prints a machine-readable report with --json', async () => {
    const args = ['twine', 'validate', 'examples/twine.json', '--input-values', 'examples/input-values-invalid.json'];
    const run = await skein(...args, '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as {
      valid: boolean;
      checked: unknown[];
      errors: { strand: string; error: string; failures: { pointer: string; keyword: string }[] }[];
    };
    expect(report.valid).toBe(false);
    expect(report.checked).toEqual([
      { strand: 'twine', path: 'examples/twine.json' },
      { strand: 'input_values', path: 'examples/input-values-invalid.json' },
    ]);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]?.strand).toBe('input_values');
    expect(report.errors[0]?.error).toBe('InvalidValuesContents');
    expect(report.errors[0]?.failures.map((f) => [f.pointer, f.keyword])).toEqual([
      ['/statistics/1', 'enum'],
      ['/time_window/end', 'required'],
      ['/time_window/start', 'format'],
      ['/min_rows', 'minimum'],
    ]);
  });

  it('prints a valid report with --json', async () => {
    const run = await skein('twine', 'validate', 'examples/twine.json', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      valid: true,
      checked: [{ strand: 'twine', path: 'examples/twine.json' }],
      errors: [],
    });
  });

  it('checks every strand given and lists the problems of each', async () => {
    const manifest = write('input-manifest.json', {
      id: 'm',
      datasets: {
        measurements: {
          id: 'd',
          name: 'measurements',
          tags: {},
          labels: [],
          files: [
            { id: 'f', path: 'gs://bucket/measurements/t1.csv', timestamp: null, tags: { sensor: 't1' }, labels: [] },
          ],
        },
      },
    });
    const outputValues = write('output-values.json', { rows: -1, statistics: {} });
    const run = await skein(
      'twine',
      'validate',
      'examples/twine.json',
      '--configuration-values',
      write('configuration.json', { columns: ['temperature'] }),
      '--input-manifest',
      manifest,
      '--output-values',
      outputValues,
      '--json',
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { errors: { strand: string; failures: { pointer: string }[] }[] };
    expect(report.errors.map((e) => [e.strand, e.failures.map((f) => f.pointer)])).toEqual([
      ['input_manifest', ['/datasets/measurements/files/0/tags/units']],
      ['output_values', ['/rows']],
    ]);
  });

  it('exits 1 when data is given for a strand the twine does not have', async () => {
    const twine = write('only-input.json', { input_values_schema: { type: 'object' } });
    const run = await skein('twine', 'validate', twine, '--output-values', 'examples/input-values.json');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^output_values: StrandNotFound: Cannot validate the output_values: the twine has no/m);
  });

  it('validates a file holding a JSON string as that string', async () => {
    const twine = write('string-output.json', { output_values_schema: { type: 'string', pattern: '^ok' } });
    const good = await skein('twine', 'validate', twine, '--output-values', write('good.json', '"ok.json"'));
    expect(good.code).toBe(0);
    const bad = await skein('twine', 'validate', twine, '--output-values', write('bad.json', '"not ok"'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ {2}output_values \(root\): must match pattern "\^ok"$/m);
  });

  it('exits 1 when a strand file is not JSON', async () => {
    const broken = write('broken-values.json', '{"statistics": [');
    const run = await skein('twine', 'validate', 'examples/twine.json', '--input-values', broken);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^input_values: InvalidValuesJson: The file '.*broken-values\.json' given for the/m);
  });

  it('exits 1 and points at the problem when the twine is malformed', async () => {
    const twine = write('malformed-twine.json', { credentials: [{ name: 'lower_case' }], input_value_schema: {} });
    const run = await skein('twine', 'validate', twine);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^twine: InvalidTwineContents: The twine does not satisfy the twine meta-schema\.$/m);
    expect(run.stderr).toMatch(/^ {2}twine \/credentials\/0\/name: must match pattern/m);
    expect(run.stderr).toMatch(/^ {2}twine \/input_value_schema: is not a strand of a twine/m);
  });

  it('exits 1 when the twine is not JSON', async () => {
    const run = await skein('twine', 'validate', write('broken-twine.json', '{"children": ['));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^twine: InvalidTwineJson: /m);
  });

  it.each(readdirSync(OCTUE_TWINES).filter((name) => name.endsWith('.json')))(
    "exits 0 for Octue's twine %s",
    async (name) => {
      const run = await skein('twine', 'validate', join(OCTUE_TWINES, name));
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^valid: checked twine \(/);
    },
  );

  it.each([
    [
      'a twine file that does not exist',
      ['examples/no-such-twine.json'],
      /The twine file 'examples\/no-such-twine\.json' does not exist\./,
    ],
    [
      'a values file that does not exist',
      ['examples/twine.json', '--input-values', 'examples/no-such-values.json'],
      /The input_values file 'examples\/no-such-values\.json' does not exist\./,
    ],
    ['a directory as the twine', ['examples'], /The twine file 'examples' cannot be read \(EISDIR\)\./],
    ['an unknown option', ['examples/twine.json', '--input-value', 'x.json'], /unknown option '--input-value'/],
    ['no twine argument', [], /missing required argument 'twine'/],
    ['an option without its file', ['examples/twine.json', '--input-values'], /argument missing/],
  ])('exits 2 for %s', async (_case, args, message) => {
    const run = await skein('twine', 'validate', ...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^skein: /);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints a stack trace with --debug', async () => {
    const run = await skein('twine', 'validate', 'examples/no-such-twine.json', '--debug');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/TwineFileNotFound: The twine file .* does not exist\.\n\s+at /);
    expect(run.stderr).toMatch(/Caused by:\nError: ENOENT/);
  });
});

describe('Command: skein', () => {
  it('prints the package version with --version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await skein('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('documents the exit codes in --help', async () => {
    const run = await skein('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /Exit codes:\n {2}0 {2}success.*\n {2}1 {2}invalid input.*\n {2}2 {2}unusable arguments/,
    );
  });

  it('exits 2 for an unknown command', async () => {
    const run = await skein('frobnicate');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('exits 2 and shows the subcommands when a command group is called without one', async () => {
    const run = await skein('twine');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/validate \[options\] <twine>/);
  });
});

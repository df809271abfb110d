// `skein run`: a service's app runs once on local inputs through the Runner (the real binary).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SQUARE_SERVICE, skein } from './helpers';

const CONFIG = join(SQUARE_SERVICE, 'octue.yaml');

describe('Command: skein run', () => {
  const temp = mkdtempSync(join(tmpdir(), 'skein-cli-run-'));
  const env = { SQUARE_OUTPUT_DIR: temp };
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('runs the configured app on the input values and prints its outputs as JSON, logging to standard error', async () => {
    const run = await skein(['run', '-c', CONFIG, '-i', '{"n": 3}'], { env });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      output_values: { square: 9 },
      output_manifest: {
        id: 'b4a58a44-56d6-4e21-8e27-2d7d4b8a1b3e',
        name: 'squares',
        datasets: { squares: join(temp, 'square-3') },
      },
    });
    expect(run.stdout.split('\n')).toHaveLength(2);
    expect(run.stderr).toMatch(/\| INFO \| app\] \[[0-9a-f-]{36}\] Squaring 3\.$/m);
    expect(run.stderr).toMatch(/Monitor message: \{"progress":1\}$/m);
  });

  it('runs an app directory without a configuration file, reading the values from a file', async () => {
    const run = await skein(['run', '--app', SQUARE_SERVICE, '-i', join(SQUARE_SERVICE, 'input-values.json')], {
      env,
      cwd: temp,
    });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { output_values: unknown }).output_values).toEqual({ square: 49 });
  });

  it('saves the outputs and a copy of the output dataset with --output-dir, and prints the analysis id with --json', async () => {
    const outputDir = join(temp, 'outputs');
    const run = await skein(['run', '-c', CONFIG, '-i', '{"n": 5}', '--output-dir', outputDir, '--json'], { env });
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { analysis_id: string; output_values: unknown };
    expect(printed.analysis_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(printed.output_values).toEqual({ square: 25 });
    expect(JSON.parse(readFileSync(join(outputDir, 'output_values.json'), 'utf8'))).toEqual({ square: 25 });
    const copy = join(outputDir, 'output_manifest_datasets', 'squares');
    expect(readFileSync(join(copy, 'square.txt'), 'utf8')).toBe('25\n');
    const manifest = JSON.parse(readFileSync(join(outputDir, 'output_manifest.json'), 'utf8')) as {
      datasets: Record<string, unknown>;
    };
    expect(manifest.datasets).toEqual({ squares: copy });
  });

  it('reads the local datasets of an input manifest given at the command line (not received over the wire)', async () => {
    const app = join(temp, 'count-app');
    const data = join(temp, 'count-data');
    mkdirSync(app, { recursive: true });
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'a.csv'), 'x\n1\n');
    writeFileSync(
      join(app, 'twine.json'),
      JSON.stringify({ input_manifest: { datasets: { data: {} } }, output_values_schema: {} }),
    );
    writeFileSync(
      join(app, 'app.js'),
      'exports.run = async (analysis) => { analysis.outputValues = [...analysis.inputManifest.getDataset("data")].map((f) => f.name); };\n',
    );
    const manifest = JSON.stringify({ id: 'e8a3f8d2-1c4b-4f7e-9a6d-3b2c1d0e9f8a', datasets: { data } });

    const run = await skein(['run', '--app', app, '-m', manifest], { env, cwd: temp });

    expect(run.stderr).not.toContain('LocalPathNotAllowed');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { output_values: unknown }).output_values).toEqual(['a.csv']);
  });

  it('writes only warnings and errors with --log-level warning', async () => {
    const run = await skein(['--log-level', 'warning', 'run', '-c', CONFIG, '-i', '{"n": 2}'], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('exits 1 and lists the failures when the input values do not satisfy the twine', async () => {
    const run = await skein(['run', '-c', CONFIG, '-i', '{"n": "three"}'], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "skein: error: InvalidValuesContents: The input_values do not satisfy the twine's input_values_schema.\n" +
        '  /n: must be integer\n',
    );
  });

  it("exits 1 with the app's error on one line (no stack trace) when the app fails", async () => {
    const run = await skein(['run', '-c', CONFIG, '-i', '{"n": -1}'], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const last = run.stderr.trim().split('\n').pop();
    expect(last).toBe(
      'skein: error: unexpected RangeError: Cannot square -1: the square service only takes n >= 0. (run with ' +
        '--debug for the stack trace)',
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the stack trace with --debug', async () => {
    const run = await skein(['--debug', 'run', '-c', CONFIG, '-i', '{"n": -1}'], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^skein: RangeError: Cannot square -1.*\n\s+at .*app\.js/m);
  });

  it('exits 1 when the input values are not JSON', async () => {
    const run = await skein(['run', '-c', CONFIG, '-i', '{"n": '], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^skein: error: InvalidValuesJson: The JSON string given for the input_values is not/);
  });

  it.each([
    [
      'a values file that does not exist',
      ['run', '-c', CONFIG, '-i', 'no-such-values.json'],
      "skein: error: TwineFileNotFound: The input_values file 'no-such-values.json' does not exist.",
    ],
    [
      'no octue.yaml and no --app',
      ['run', '-i', '{"n": 1}'],
      /^skein: error: ServiceConfigurationNotFound: No service configuration file was found at '.*octue\.yaml'\./,
    ],
    ['an unknown option', ['run', '--inputs', '{}'], /^skein: error: unknown option '--inputs'/],
  ])('exits 2 for %s', async (_case, args, message) => {
    const run = await skein(args, { env, cwd: temp });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toMatch(message);
  });

  it('exits 1 when the configuration file is invalid', async () => {
    const config = join(temp, 'bad-octue.yaml');
    writeFileSync(config, 'services:\n  - namespace: example\n    name: square\n');
    const run = await skein(['run', '-c', config, '-i', '{"n": 1}'], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^skein: error: InvalidServiceConfiguration: The service configuration '.*' is invalid:\n {2}\/services\/0\/namespace: /,
    );
    expect(existsSync(join(temp, 'square-1'))).toBe(false);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { run } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/context';

// The square service of the CLI's integration tests: answered here in-process, over the in-memory transport.
const CONFIG = resolve(__dirname, '../../integration/cli/fixtures/square/octue.yaml');

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

async function skein(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Output> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (text) => (stdout += text), err: (text) => (stderr += text) };
  const code = await run(['node', 'skein', ...args], env, io);
  return { code, stdout, stderr };
}

describe('Function: run', () => {
  const temp = mkdtempSync(join(tmpdir(), 'skein-cli-main-'));
  const env = { SQUARE_OUTPUT_DIR: temp };
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('answers a question in-process with ask-local and prints the result event', async () => {
    const output = await skein(['ask-local', '-c', CONFIG, '-i', '{"n": 9}'], env);
    expect(output.code).toBe(0);
    expect(JSON.parse(output.stdout)).toMatchObject({ kind: 'result', output_values: { square: 81 } });
  });

  it('logs errors on one line and ends with a one-line error, exit code 1', async () => {
    const output = await skein(['ask-local', '-c', CONFIG, '-i', '{"n": -9}'], env);
    expect(output.code).toBe(1);
    expect(output.stderr).toMatch(/failed to answer question [0-9a-f-]{36}\. \(RangeError: Cannot square -9: .*\)$/m);
    expect(output.stderr).not.toMatch(/\n\s+at /);
    expect(output.stderr.trim().split('\n').pop()).toMatch(/^skein: error: unexpected RangeError: Cannot square -9/);
  });

  it('adds stack traces to logged errors and the final error with --debug', async () => {
    const output = await skein(['--debug', 'ask-local', '-c', CONFIG, '-i', '{"n": -9}'], env);
    expect(output.code).toBe(1);
    expect(output.stderr).toMatch(/failed to answer question [0-9a-f-]{36}\.\nRangeError: Cannot square -9.*\n\s+at /);
    expect(output.stderr).toMatch(/^skein: RangeError: Cannot square -9.*\n\s+at /m);
  });

  it('writes nothing below the --log-level', async () => {
    const output = await skein(['--log-level', 'error', 'ask-local', '-c', CONFIG, '-i', '{"n": 2}'], env);
    expect(output).toMatchObject({ code: 0, stderr: '' });
  });

  it.each([
    ['a log level that does not exist', ['--log-level', 'loud', 'ask-local'], /argument 'loud' is invalid\. Allowed/],
    [
      'a configuration file that does not exist',
      ['run', '-c', join(__dirname, 'no-such-octue.yaml')],
      /^skein: error: ServiceConfigurationNotFound: No service configuration file was found at '.*no-such-octue\.yaml'/,
    ],
    ['an unknown command', ['serve'], /^skein: error: unknown command 'serve'/],
  ])('returns 2 for %s', async (_case, args, message) => {
    const output = await skein(args, env);
    expect(output.code).toBe(2);
    expect(output.stdout).toBe('');
    expect(output.stderr).toMatch(message);
  });

  it('lists every command in --help', async () => {
    const output = await skein(['--help']);
    expect(output.code).toBe(0);
    for (const command of ['twine', 'run', 'start', 'ask', 'ask-local', 'question', 'emulators']) {
      expect(output.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    }
  });
});

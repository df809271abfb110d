// `skein ask-local`: the configured service answers one question in the CLI's process (the real binary).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SQUARE_SERVICE, skein } from './helpers';

const CONFIG = join(SQUARE_SERVICE, 'octue.yaml');

function questionAttributes(questionUuid: string): Record<string, unknown> {
  return {
    uuid: randomUUID(),
    datetime: '2025-05-13T15:39:34.123456+00:00',
    question_uuid: questionUuid,
    originator_question_uuid: questionUuid,
    parent: 'acme/parent:1.0.0',
    originator: 'acme/parent:1.0.0',
    sender: 'acme/parent:1.0.0',
    sender_type: 'PARENT',
    sender_sdk_version: '0.69.0',
    recipient: 'skein-test/square:1.0.0',
    retry_count: 0,
    forward_logs: true,
    save_diagnostics: 'SAVE_DIAGNOSTICS_OFF',
  };
}

describe('Command: skein ask-local', () => {
  const temp = mkdtempSync(join(tmpdir(), 'skein-cli-ask-local-'));
  const env = { SQUARE_OUTPUT_DIR: temp, OCTUE_SERVICE_REVISION_TAG: undefined };
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('answers a question with the configured service and prints the result event', async () => {
    const run = await skein(['ask-local', '-c', CONFIG, '-i', '{"n": 4}'], { env });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      kind: 'result',
      output_values: { square: 16 },
      output_manifest: {
        id: 'b4a58a44-56d6-4e21-8e27-2d7d4b8a1b3e',
        name: 'squares',
        datasets: { squares: join(temp, 'square-4') },
      },
    });
    expect(run.stderr).toMatch(/<Service\('skein-test\/square:[a-z]+-[a-z]+'\)> received a question\./);
    expect(run.stderr).toMatch(/Squaring 4\.$/m);
  });

  it('answers the question the attributes describe, and prints its uuid with --json', async () => {
    const questionUuid = randomUUID();
    const attributes = JSON.stringify(questionAttributes(questionUuid));
    const run = await skein(['ask-local', '-c', CONFIG, '-i', '{"n": 6}', '-a', attributes, '--json'], {
      env: { ...env, OCTUE_SERVICE_REVISION_TAG: '1.0.0' },
    });
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { question_uuid: string; result: { output_values: unknown } };
    expect(printed.question_uuid).toBe(questionUuid);
    expect(printed.result.output_values).toEqual({ square: 36 });
    expect(run.stderr).not.toMatch(/is addressed to/);
  });

  it("exits 1 with the app's error on one line when the app fails", async () => {
    const run = await skein(['ask-local', '-c', CONFIG, '-i', '{"n": -4}'], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/failed to answer question [0-9a-f-]{36}\. \(RangeError: Cannot square -4: .*\)$/m);
    expect(run.stderr.trim().split('\n').pop()).toBe(
      'skein: error: unexpected RangeError: Cannot square -4: the square service only takes n >= 0. (run with ' +
        '--debug for the stack trace)',
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 and lists what is missing when the attributes are not those of a question', async () => {
    const run = await skein(['ask-local', '-c', CONFIG, '-i', '{"n": 4}', '-a', '{"question_uuid": "q"}'], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^skein: error: InvalidEvent: The 'question' event .* does not conform to the /m);
    expect(run.stderr).toMatch(/^ {2}\/attributes\/sender: must have required property 'sender'$/m);
  });

  it.each([
    [
      'attributes that are not JSON',
      ['-a', '{"x": '],
      /^skein: error: option '-a, --attributes <json>' argument '\{"x": ' is invalid\. It is not valid JSON/,
    ],
    ['attributes that are not an object', ['-a', '[1]'], /argument '\[1\]' is invalid\. Give a JSON object/],
    [
      'a configuration file that does not exist',
      ['-c', 'no-such-octue.yaml'],
      /^skein: error: ServiceConfigurationNotFound: No service configuration file was found at '.*no-such-octue\.yaml'/,
    ],
  ])('exits 2 for %s', async (_case, args, message) => {
    const run = await skein(['ask-local', '-i', '{"n": 1}', ...(args.includes('-c') ? [] : ['-c', CONFIG]), ...args], {
      env,
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toMatch(message);
  });
});

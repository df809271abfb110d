// `skein start` serves the square service on the Pub/Sub emulator (started by global setup); a Child in the test and
// `skein ask` (the real binary) ask it questions; then it stops on SIGINT.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PubSubTransport } from '../../../src/cloud/pubsub';
import { childSubscription } from '../../../src/core/topology';
import { Child } from '../../../src/service/child';
import { ChildEmulator } from '../../../src/service/child-emulator';
import { SQUARE_SERVICE, SkeinProcess, skein } from './helpers';
import { requiredEnv } from '../../helpers/pubsub-emulator-host';

const PROJECT_ID = 'demo-skein';
const SERVICE_ID = 'skein-test/square:1.0.0';
const CONFIG = join(SQUARE_SERVICE, 'octue.yaml');

describe('Commands: skein start and skein ask (Pub/Sub emulator)', () => {
  const temp = mkdtempSync(join(tmpdir(), 'skein-cli-start-'));
  const topic = `cli-it-${randomUUID().slice(0, 8)}`;
  const env = {
    TWINED_SERVICES_TOPIC_NAME: topic,
    GOOGLE_CLOUD_PROJECT: PROJECT_ID,
    SQUARE_OUTPUT_DIR: temp,
    OCTUE_SERVICE_REVISION_TAG: undefined,
  };
  let transport: PubSubTransport;
  let server: SkeinProcess;
  let ready: Record<string, unknown>;

  beforeAll(async () => {
    transport = new PubSubTransport({
      projectId: PROJECT_ID,
      topicName: topic,
      apiEndpoint: requiredEnv('PUBSUB_EMULATOR_HOST'),
    });
    await transport.ensureTopic();
    server = new SkeinProcess(['start', '-c', CONFIG, '--revision-tag', '1.0.0', '--json'], { env });
    ready = JSON.parse(await server.nextLine()) as Record<string, unknown>;
    // Starting node and the Pub/Sub client can be slow on a busy machine.
  }, 120_000);

  afterAll(async () => {
    await server.kill();
    await transport.deleteTopic();
    await transport.close();
    rmSync(temp, { recursive: true, force: true });
  });

  describe('Command: skein start', () => {
    it('prints where it serves once its subscription is live', () => {
      expect(ready).toEqual({
        event: 'ready',
        service_id: SERVICE_ID,
        subscription: 'skein-test.square.1-0-0',
        topic,
        project_id: PROJECT_ID,
      });
    });

    it('answers a question asked by a Child, with monitor messages and logs', async () => {
      // The square service answers with a dataset in its output directory: the parent allows exactly that root.
      const child = new Child({ id: SERVICE_ID, transport, allowedLocalRoots: [temp] });
      const monitorMessages: unknown[] = [];
      try {
        const { answer } = await child.ask({
          inputValues: { n: 8 },
          handleMonitorMessage: (data) => {
            monitorMessages.push(data);
          },
        });
        expect(answer.outputValues).toEqual({ square: 64 });
        expect(monitorMessages).toEqual([{ progress: 1 }]);
        const logs = (child.receivedEvents ?? []).flatMap(({ event }) =>
          event.kind === 'log_record' ? [event.log_record.msg] : [],
        );
        expect(logs).toContain('Squaring 8.');
      } finally {
        await child.close();
      }
      expect(server.stderr).toMatch(/Squaring 8\.$/m);
    });

    it('exits 1 saying what to do when the service is already being served', async () => {
      const run = await skein(['start', '-c', CONFIG, '--revision-tag', '1.0.0'], { env });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n').pop()).toBe(
        'skein: error: ServiceAlreadyExists: The service skein-test/square:1.0.0 is already being served (its ' +
          'subscription exists): stop the other instance, start this one with another --revision-tag, or pass ' +
          '--allow-existing to share its questions.',
      );
    });

    it('stops after --timeout, deleting its subscription', async () => {
      const run = await skein(['start', '-c', CONFIG, '--revision-tag', 'timed', '--timeout', '1', '--json'], { env });
      expect(run.code).toBe(0);
      expect(
        run.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { event: string; reason?: string }),
      ).toEqual([
        expect.objectContaining({ event: 'ready', service_id: 'skein-test/square:timed' }),
        { event: 'stopped', service_id: 'skein-test/square:timed', reason: 'timeout' },
      ]);
      // Creating it again succeeds only because it was deleted.
      const spec = childSubscription('skein-test/square:timed');
      await transport.createSubscription(spec);
      await transport.deleteSubscription(spec.name);
    });

    it('exits 1 when the services topic does not exist', async () => {
      const run = await skein(['start', '-c', CONFIG, '--revision-tag', '1.0.0'], {
        env: { ...env, TWINED_SERVICES_TOPIC_NAME: `cli-missing-${randomUUID().slice(0, 8)}` },
      });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n').pop()).toMatch(
        /^skein: error: ServiceNotFound: The topic 'cli-missing-[0-9a-f]{8}' cannot be found\. Check that it's been /,
      );
    });

    it.each([
      ['a timeout that is not a number', ['--timeout', 'soon'], /argument 'soon' is invalid\. Give a positive number/],
      ['a missing configuration file', ['-c', 'no-such-octue.yaml'], /ServiceConfigurationNotFound: No service conf/],
    ])('exits 2 for %s', async (_case, args, message) => {
      const run = await skein(['start', ...(args.includes('-c') ? [] : ['-c', CONFIG]), ...args], { env });
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(message);
    });
  });

  describe('Command: skein ask', () => {
    // The answers name a dataset in the square service's output directory, which the asker must allow to read it.
    const askEnv = { ...env, SKEIN_ALLOWED_LOCAL_ROOTS: temp };

    it('exits 1 with LocalPathNotAllowed when the answer names a local path outside SKEIN_ALLOWED_LOCAL_ROOTS', async () => {
      const run = await skein(['ask', SERVICE_ID, '-i', '{"n": 3}'], { env });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('LocalPathNotAllowed');
      expect(run.stderr).toContain(join(temp, 'square-3'));
      expect(run.stdout).toBe('');
    });

    it('prints the answer as JSON and records the events, which replay to the same answer', async () => {
      const record = join(temp, 'recordings', 'square-5.json');
      const run = await skein(['ask', SERVICE_ID, '-i', '{"n": 5}', '--record', record], { env: askEnv });
      expect(run.code).toBe(0);
      const answer = JSON.parse(run.stdout) as { output_values: unknown; output_manifest: { datasets: unknown } };
      expect(answer.output_values).toEqual({ square: 25 });
      expect(answer.output_manifest.datasets).toEqual({ squares: join(temp, 'square-5') });
      expect(run.stderr).toMatch(/\[skein-test\/square:1\.0\.0 \| [0-9a-f-]{36}\] Squaring 5\.$/m);
      expect(run.stderr).toMatch(/Monitor message from skein-test\/square:1\.0\.0: \{"progress":1\}$/m);

      const recorded = JSON.parse(readFileSync(record, 'utf8')) as { event: { kind: string } }[];
      expect(recorded[0]?.event.kind).toBe('delivery_acknowledgement');
      expect(recorded.at(-1)?.event.kind).toBe('result');
      const emulator = await ChildEmulator.fromFile(record, { allowedLocalRoots: [temp] });
      expect(emulator.id).toBe(SERVICE_ID);
      const replayed = await emulator.ask({});
      expect(replayed.answer?.outputValues).toEqual({ square: 25 });
    });

    it('prints the question uuid and answer with --json', async () => {
      const run = await skein(['ask', SERVICE_ID, '-i', '{"n": 2}', '--json'], { env: askEnv });
      expect(run.code).toBe(0);
      const printed = JSON.parse(run.stdout) as { question_uuid: string; answer: { output_values: unknown } };
      expect(printed.question_uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(printed.answer.output_values).toEqual({ square: 4 });
    });

    it('prints only the question uuid with --asynchronous', async () => {
      const run = await skein(['ask', SERVICE_ID, '-i', '{"n": 3}', '--asynchronous'], { env });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    });

    it("exits 1 with the service's error on one line, and records the events of the failed question", async () => {
      const record = join(temp, 'failed.json');
      const run = await skein(['ask', SERVICE_ID, '-i', '{"n": -5}', '--record', record], { env });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n').pop()).toBe(
        "skein: error: ValueError: Error in <Service('skein-test/square:1.0.0')>: Cannot square -5: the square " +
          'service only takes n >= 0.',
      );
      const recorded = JSON.parse(readFileSync(record, 'utf8')) as { event: { kind: string } }[];
      expect(recorded.at(-1)?.event.kind).toBe('exception');
    });

    it('exits 1 when no answer comes before --timeout', async () => {
      const run = await skein(['ask', 'skein-test/nobody:1.0.0', '-i', '{}', '--timeout', '1'], { env });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n').pop()).toMatch(/^skein: error: QuestionTimeout: /);
    });

    it('exits 1 when the service id has no revision tag', async () => {
      const run = await skein(['ask', 'skein-test/square', '-i', '{}'], { env });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n').pop()).toMatch(/^skein: error: InvalidServiceID: /);
    });

    it('exits 1 when the input manifest is not JSON', async () => {
      const run = await skein(['ask', SERVICE_ID, '-i', '{}', '-m', '{"datasets": '], { env });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^skein: error: InvalidManifestJson: The JSON string given for the input_manifest/);
    });

    it('exits 1 without a project or an emulator', async () => {
      const run = await skein(['ask', SERVICE_ID, '-i', '{}'], {
        env: { ...env, GOOGLE_CLOUD_PROJECT: undefined, PUBSUB_EMULATOR_HOST: undefined },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'skein: error: CloudLocationNotSpecified: No Google Cloud project was given: pass -p/--project-id, set ' +
          'GOOGLE_CLOUD_PROJECT, or set PUBSUB_EMULATOR_HOST to use the Pub/Sub emulator (see `skein emulators ' +
          'start`).\n',
      );
    });

    it('exits 2 without a service id', async () => {
      const run = await skein(['ask'], { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/missing required argument 'sruid'/);
    });
  });

  describe('Command: skein start (stopping)', () => {
    it('stops cleanly on SIGINT, finishing its work and deleting its subscription', async () => {
      server.child.kill('SIGINT');
      expect(await server.exit()).toEqual({ code: 0, signal: null });
      expect(JSON.parse(await server.nextLine())).toEqual({
        event: 'stopped',
        service_id: SERVICE_ID,
        reason: 'SIGINT',
      });
      const spec = childSubscription(SERVICE_ID);
      await transport.createSubscription(spec);
      await transport.deleteSubscription(spec.name);
    });
  });
});

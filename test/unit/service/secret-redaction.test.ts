import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  Child,
  childFactory,
  createLogger,
  makeQuestionAttributes,
  makeQuestionEvent,
  REDACTED,
  Runner,
  saveRecordedEvents,
  SecretRedactor,
  Service,
  streamLogSink,
} from '../../../src';
import type { Analysis, SecretSource, SkeinLogEntry } from '../../../src';
import { Responder, runOutsideLogContext, runWithLogContext } from '../../../src/service';
import { InMemoryBroker, InMemoryTransport, memoryLogSink } from '../../../src/testing';
import { deferred, temporaryStore, waitFor } from './helpers';

/**
 * Item 8 of the hardening issue: a service's credentials never leave it. The app logs them (its logger, a library's
 * logger, arguments, JSON, URLs, errors), sends them in a monitor message and its result, passes them to a child that
 * echoes them back, throws them and crashes; every event the parent receives, every log line on either side, and
 * every file saved (crash diagnostics, recordings) is then searched for them. A question to the service's own child
 * is the one place they travel: the app chose to hand them to a child its configuration trusts.
 */

const TOPIC = 'main.octue.twined.services';
const SERVICE = 'acme/keyed:1.0.0';
const ECHO = 'acme/echo:1.0.0';
const PARENT = 'acme/parent:1.0.0';
const ENV_SECRET = 'sk_live_Env-S3cret"Value\\é';
const MANAGER_SECRET = 'mgr-Secret-From-Manager-9f8e';
const SECRETS = [ENV_SECRET, MANAGER_SECRET];
// What is searched for: the secrets' plain runs (so any form or part of them counts: raw, escaped, URL-encoded) and
// the manager secret whole.
const FORMS = ['sk_live_Env-S3cret', 'mgr-Secret-From-Manager-9f8e', 'Secret-From-Manager'];

const TWINE = {
  credentials: [
    { name: 'KEYED_API_KEY', purpose: 'The API key, from the environment.' },
    { name: 'KEYED_MANAGER_TOKEN', purpose: 'A token from the secret source.' },
  ],
  children: [{ key: 'echo', purpose: 'Echoes what it is given.' }],
  input_values_schema: { type: 'object', properties: { crash: { type: 'boolean' } }, required: ['crash'] },
  monitor_message_schema: { type: 'object' },
  output_values_schema: { type: 'object' },
};

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(entry.parentPath, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

function leaks(text: string): string[] {
  return FORMS.filter((form) => text.includes(form));
}

interface Scenario {
  readonly rawMessages: string[];
  readonly serviceLines: string[];
  readonly parentLines: string[];
  readonly appSaw: string[];
  readonly echoed: unknown[];
  readonly child: Child;
  readonly error: unknown;
  readonly storageRoot: string;
}

async function runScenario(crash: boolean, cleanups: (() => Promise<void> | void)[]): Promise<Scenario> {
  const broker = new InMemoryBroker({ minBackoffMs: 1, maxBackoffMs: 5 });
  const transport = new InMemoryTransport({ topicName: TOPIC, broker });
  const { store, root, cleanup } = temporaryStore();
  const stops = new AbortController();
  const serving: Promise<void>[] = [];
  cleanups.push(async () => {
    stops.abort();
    await Promise.all(serving);
    await transport.close();
    broker.close();
    cleanup();
  });
  await transport.ensureTopic();
  // Everything published to the parent, as bytes.
  const rawMessages: string[] = [];
  await transport.createSubscription({ name: 'wiretap', filter: { recipient: PARENT } });
  await transport.subscribe('wiretap', (message) => {
    rawMessages.push(`${Buffer.from(message.data).toString('utf8')} ${JSON.stringify(message.attributes)}`);
    message.ack();
  });

  // The echo child has no secrets: it logs and returns whatever it is asked, so the secret comes back to the app.
  const echoed: unknown[] = [];
  const echo = new Service({
    serviceId: ECHO,
    transport,
    runFunction: async ({ inputValues }) => {
      echoed.push(inputValues);
      createLogger({ name: 'echo' }).info('Echoing %j', inputValues);
      return { outputValues: { echoed: inputValues } };
    },
  });

  const appSaw: string[] = [];
  const app = async (analysis: Analysis): Promise<void> => {
    const key = analysis.credentials.KEYED_API_KEY as string;
    const token = analysis.credentials.KEYED_MANAGER_TOKEN as string;
    appSaw.push(key, token);
    analysis.logger.info('Calling the API with key %s and token %s.', key, token);
    analysis.logger.warning(`Request headers: ${JSON.stringify({ authorization: key, token })}`);
    analysis.logger.exception(
      'The API refused us.',
      new Error(`401 for https://api.test/?key=${encodeURIComponent(key)}`),
    );
    createLogger({ name: 'some.library' }).error('Retrying with %o', { token });
    analysis.sendMonitorMessage({ status: `authenticated with ${key}` });
    const answer = await analysis.children.echo?.ask({ inputValues: { key, token } });
    await saveRecordedEvents(join(root, 'recordings', 'echo.json'), analysis.children.echo?.receivedEvents);
    if (analysis.inputValues !== null && (analysis.inputValues as { crash: boolean }).crash) {
      throw new TypeError(`Authentication failed for ${key} (token ${token})`);
    }
    analysis.outputValues = { leaked: [key, token], echoed: answer?.answer };
  };
  const secretSource: SecretSource = {
    getSecret: async (name) => (name === 'KEYED_MANAGER_TOKEN' ? MANAGER_SECRET : undefined),
  };
  const serviceLines: string[] = [];
  const serviceLogs = memoryLogSink();
  const serviceLogger = createLogger({
    name: 'keyed',
    sinks: [{ sink: streamLogSink({ write: (text: string) => serviceLines.push(text) }) }, { sink: serviceLogs.sink }],
  });
  const service = new Service({
    serviceId: SERVICE,
    transport,
    logger: serviceLogger,
    runner: new Runner({
      app,
      twine: TWINE,
      serviceId: SERVICE,
      children: [{ key: 'echo', id: ECHO, backend: { name: 'GCPPubSubBackend', project_id: 'test-project' } }],
      childFactory: childFactory({ transport, logger: serviceLogger.child('child') }),
      env: { KEYED_API_KEY: ENV_SECRET },
      secretSource,
      objectStore: store,
      diagnosticsCloudPath: 'gs://diagnostics/keyed',
      logger: serviceLogger,
    }),
  });
  for (const served of [echo, service]) {
    const ready = deferred();
    serving.push(served.serve({ signal: stops.signal, onReady: () => ready.resolve() }));
    await ready.promise;
  }

  const parentLines: string[] = [];
  const parentLogger = createLogger({
    name: 'parent',
    sinks: [{ sink: streamLogSink({ write: (text: string) => parentLines.push(text) }) }],
  });
  const child = new Child({ id: SERVICE, transport, parentSruid: PARENT, logger: parentLogger });
  let error: unknown;
  try {
    await child.ask({
      inputValues: { crash },
      saveDiagnostics: crash ? 'SAVE_DIAGNOSTICS_ON_CRASH' : 'SAVE_DIAGNOSTICS_ON',
    });
  } catch (thrown) {
    error = thrown;
  }
  await child.close();
  await saveRecordedEvents(join(root, 'recordings', 'parent.json'), child.receivedEvents);
  serviceLines.push(...serviceLogs.entries.map((entry) => JSON.stringify(entry)));
  return { rawMessages, serviceLines, parentLines, appSaw, echoed, child, error, storageRoot: root };
}

describe('Secrets of the credentials strand', () => {
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it.each([
    ['the app crashes with them', true],
    ['the app answers with them', false],
  ])('never leave the service when %s', async (_case, crash) => {
    // Act
    const scenario = await runScenario(crash, cleanups);

    // Assess: the secrets were really loaded and used (from the environment and the secret source)...
    expect(scenario.appSaw).toEqual(SECRETS);
    expect(scenario.echoed).toEqual([{ key: ENV_SECRET, token: MANAGER_SECRET }]);
    const files = filesUnder(scenario.storageRoot);
    // The store keeps each object's metadata in a sidecar file too: those are searched below, but not listed here.
    const diagnostics = files.filter(
      (file) => file.includes(join('diagnostics', 'keyed')) && !file.includes('.skein-meta'),
    );
    expect(diagnostics.map((file) => file.slice(file.lastIndexOf('/') + 1)).sort()).toEqual([
      'input_values.json',
      'questions.json',
    ]);
    expect(files.filter((file) => file.includes('recordings'))).toHaveLength(2);
    const events = scenario.child.receivedEvents ?? [];
    const kinds = events.map((recorded) => (recorded as { event: { kind: string } }).event.kind);
    expect(kinds).toEqual(expect.arrayContaining(['log_record', 'monitor_message', crash ? 'exception' : 'result']));
    // ...and everything emitted carries the marker where they were, not the secrets.
    const everything = [
      ...scenario.rawMessages,
      JSON.stringify(events),
      ...scenario.serviceLines,
      ...scenario.parentLines,
      ...files.map((file) => readFileSync(file, 'utf8')),
    ];
    expect(everything.join('\n')).toContain(REDACTED);
    expect(scenario.rawMessages.filter((message) => message.includes(REDACTED)).length).toBeGreaterThanOrEqual(5);
    const questions = readFileSync(diagnostics.find((file) => file.endsWith('questions.json')) as string, 'utf8');
    expect(questions).toContain(REDACTED);
    for (const text of everything) expect(leaks(text)).toEqual([]);
    if (crash) {
      const error = scenario.error as Error;
      expect(error.name).toBe('TypeError');
      expect(error.message).toContain(`Authentication failed for ${REDACTED} (token ${REDACTED})`);
      expect(leaks(`${error.message}\n${error.stack ?? ''}`)).toEqual([]);
    } else {
      expect(scenario.error).toBeUndefined();
    }
  });
});

describe('Class: Runner', () => {
  describe('Method: run', () => {
    const twine = { credentials: [{ name: 'KEYED_API_KEY', purpose: 'The API key.' }, { name: 'KEYED_PIN' }] };

    it('rejects with what the app threw, redacted, as the same class', async () => {
      // Prepare
      const thrown: Error[] = [];
      const runner = new Runner({
        app: (analysis: Analysis) => {
          const error = new RangeError(`bad key ${String(analysis.credentials.KEYED_API_KEY)}`);
          thrown.push(error);
          throw error;
        },
        twine,
        env: { KEYED_API_KEY: ENV_SECRET, KEYED_PIN: '123' },
      });

      // Act
      const error = (await runner.run().catch((caught: unknown) => caught)) as Error;

      // Assess
      expect(thrown[0]?.message).toBe(`bad key ${ENV_SECRET}`);
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toBe(`bad key ${REDACTED}`);
      expect(leaks(`${error.message}${error.stack ?? ''}`)).toEqual([]);
    });

    it('warns its own sinks, not the parent, that a credential shorter than 4 characters is not redacted', async () => {
      // Prepare
      const own = memoryLogSink();
      const forwarded = memoryLogSink();
      const runner = new Runner({
        app: (analysis: Analysis) => analysis.logger.info('PIN %s', analysis.credentials.KEYED_PIN),
        twine,
        env: { KEYED_API_KEY: ENV_SECRET, KEYED_PIN: '123' },
        logger: createLogger({ sinks: [{ sink: own.sink }] }),
      });

      // Act
      await runner.run({ logSinks: [{ sink: forwarded.sink }] });

      // Assess
      const warnings = (entries: readonly SkeinLogEntry[]): unknown[] =>
        entries.filter((entry) => entry.level === 'warning').map((entry) => entry.args);
      expect(warnings(own.entries)).toEqual([['KEYED_PIN', 4]]);
      expect(warnings(forwarded.entries)).toEqual([]);
      expect(forwarded.entries.find((entry) => entry.name === 'app')?.args).toEqual(['123']);
    });
  });
});

describe('Class: Service', () => {
  describe('Method: answer', () => {
    it('returns a failed outcome whose error is redacted, since entry points log and print it', async () => {
      // Prepare
      const broker = new InMemoryBroker();
      const transport = new InMemoryTransport({ topicName: TOPIC, broker });
      await transport.ensureTopic();
      const { sink, entries } = memoryLogSink();
      const service = new Service({
        serviceId: SERVICE,
        transport,
        logger: createLogger({ sinks: [{ sink }] }),
        // A run function of its own registers its secrets as the Runner does.
        runFunction: async ({ redactor }) => {
          redactor?.add([ENV_SECRET]);
          throw new Error(`refused ${ENV_SECRET}`);
        },
      });

      // Act
      const outcome = await service.answer({
        event: makeQuestionEvent({ inputValues: null }),
        attributes: { ...makeQuestionAttributes({ sender: PARENT, recipient: SERVICE }) },
      });
      await transport.close();
      broker.close();

      // Assess
      expect(outcome.status).toBe('failed');
      const error = (outcome as { error: Error }).error;
      expect(error.message).toBe(`refused ${REDACTED}`);
      expect(leaks(`${error.stack ?? ''}${JSON.stringify(outcome)}`)).toEqual([]);
      const failure = entries.find((entry) => entry.message.includes('failed to answer'));
      expect((failure?.error as Error).message).toBe(`refused ${REDACTED}`);
    });
  });
});

describe('Function: runWithLogContext', () => {
  it("redacts the context's secrets for the logger's own sinks and the context's, in nested contexts too", () => {
    // Prepare
    const own = memoryLogSink();
    const forwarded = memoryLogSink();
    const logger = createLogger({ sinks: [{ sink: own.sink }] });
    const redactor = new SecretRedactor([ENV_SECRET]);

    // Act
    runWithLogContext({ redactor }, () =>
      runWithLogContext({ analysisId: 'a', sinks: [{ sink: forwarded.sink }] }, () => {
        logger.info('key %s', ENV_SECRET);
        runOutsideLogContext(() => logger.exception('not forwarded', new Error(ENV_SECRET)));
      }),
    );
    logger.info('outside %s', ENV_SECRET);

    // Assess
    expect(own.entries.map((entry) => entry.message)).toEqual([`key ${REDACTED}`, 'not forwarded', 'outside %s']);
    expect((own.entries[1]?.error as Error).message).toBe(REDACTED);
    expect(forwarded.entries.map((entry) => entry.message)).toEqual([`key ${REDACTED}`]);
  });
});

describe('Function: saveRecordedEvents', () => {
  it('redacts the secrets it is given outside an analysis, and writes other recordings unchanged', async () => {
    // Prepare
    const { root, cleanup } = temporaryStore();
    const events = [
      {
        event: { kind: 'result', output_values: { token: MANAGER_SECRET } },
        attributes: { ...makeQuestionAttributes({ sender: PARENT, recipient: SERVICE }), sender_type: 'CHILD' },
      },
    ];
    try {
      // Act
      await saveRecordedEvents(join(root, 'redacted.json'), events, { secrets: [MANAGER_SECRET] });
      await saveRecordedEvents(join(root, 'plain.json'), events);

      // Assess
      expect(readFileSync(join(root, 'redacted.json'), 'utf8')).toContain(`"token": "${REDACTED}"`);
      expect(readFileSync(join(root, 'plain.json'), 'utf8')).toContain(`"token": "${MANAGER_SECRET}"`);
    } finally {
      cleanup();
    }
  });
});

describe('Class: Responder', () => {
  it('sends no secret in any event, and returns the result and exception events as sent', async () => {
    // Prepare
    const broker = new InMemoryBroker();
    const transport = new InMemoryTransport({ topicName: TOPIC, broker });
    await transport.ensureTopic();
    await transport.createSubscription({ name: 'parent', filter: { recipient: PARENT } });
    const published: string[] = [];
    await transport.subscribe('parent', (message) => {
      published.push(Buffer.from(message.data).toString('utf8'));
      message.ack();
    });
    const redactor = new SecretRedactor();
    const responder = new Responder({
      transport,
      question: makeQuestionAttributes({ sender: PARENT, recipient: SERVICE }),
      serviceId: SERVICE,
      logger: createLogger(),
      redactor,
    });
    // Secrets arrive once the analysis has loaded its credentials, after the Responder was made.
    redactor.add([ENV_SECRET, MANAGER_SECRET]);

    // Act
    responder.monitorMessage({ using: new Set([ENV_SECRET]) });
    responder.logRecord({ name: 'app', level: 'info', message: 'token %s', args: [MANAGER_SECRET], time: new Date() });
    const result = await responder.result({ outputValues: { key: ENV_SECRET, n: 1 } });
    const exception = await responder.exception(new TypeError(`bad ${MANAGER_SECRET}`));
    await responder.flush();
    await waitFor(() => published.length === 4, 'the four events');
    await transport.close();
    broker.close();

    // Assess
    expect(result.output_values).toEqual({ key: REDACTED, n: 1 });
    expect(exception.exception_type).toBe('TypeError');
    expect(exception.exception_message).toBe(`Error in <Service('${SERVICE}')>: bad ${REDACTED}`);
    expect(published).toHaveLength(4);
    expect(published[0]).toContain(`{"_type": "set", "items": ["${REDACTED}"]}`);
    expect(published.filter((data) => data.includes(REDACTED))).toHaveLength(4);
    expect(leaks(published.join('\n'))).toEqual([]);
  });
});

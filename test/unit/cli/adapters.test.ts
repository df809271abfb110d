import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InMemoryBroker, InMemoryTransport } from '../../../src/cloud/memory';
import { GcsObjectStore, LocalObjectStore } from '../../../src/cloud/storage';
import {
  EMULATOR_PROJECT_ID,
  LazyChildren,
  objectStore,
  resolveProjectId,
  skipMetadataServerDetection,
  usesEmulators,
  LazySecrets,
  secretSource,
} from '../../../src/cli/adapters';
import type { ChildRecord } from '../../../src/core/twine';
import { CloudLocationNotSpecified, LocalPathNotAllowed } from '../../../src/errors';
import { Service } from '../../../src/service';
import type { RunFunction } from '../../../src/service';
import type { ChildPorts } from '../../../src/service/child';
import type { QuestionAnswer } from '../../../src/service/event-handler';

const TOPIC = 'main.octue.twined.services';

describe('Module: cli/adapters', () => {
  describe('Function: resolveProjectId', () => {
    it.each([
      ['the option first', { GOOGLE_CLOUD_PROJECT: 'from-env' }, 'from-option', 'from-option'],
      ['then GOOGLE_CLOUD_PROJECT', { GOOGLE_CLOUD_PROJECT: 'from-env' }, undefined, 'from-env'],
      [
        'then the demo project on the Pub/Sub emulator',
        { PUBSUB_EMULATOR_HOST: 'localhost:8085' },
        '',
        EMULATOR_PROJECT_ID,
      ],
      ['or on the GCS server', { STORAGE_EMULATOR_HOST: 'http://localhost:9023' }, undefined, EMULATOR_PROJECT_ID],
    ])('takes %s', (_case, env, explicit, expected) => {
      expect(resolveProjectId(env, explicit)).toBe(expected);
    });

    it('throws CloudLocationNotSpecified saying what to set when there is no project and no emulator', () => {
      expect(() => resolveProjectId({ GOOGLE_CLOUD_PROJECT: ' ' })).toThrow(CloudLocationNotSpecified);
      expect(() => resolveProjectId({})).toThrow(/pass -p\/--project-id, set GOOGLE_CLOUD_PROJECT, or set PUBSUB_/);
    });
  });

  describe('Function: usesEmulators', () => {
    it.each([
      [{}, false],
      [{ PUBSUB_EMULATOR_HOST: '' }, false],
      [{ PUBSUB_EMULATOR_HOST: 'localhost:8085' }, true],
      [{ STORAGE_EMULATOR_HOST: 'http://localhost:9023' }, true],
    ])('is %j → %s', (env, expected) => {
      expect(usesEmulators(env)).toBe(expected);
    });
  });

  describe('Function: skipMetadataServerDetection', () => {
    it('sets METADATA_SERVER_DETECTION to none unless it is set', () => {
      const unset: NodeJS.ProcessEnv = {};
      skipMetadataServerDetection(unset);
      expect(unset.METADATA_SERVER_DETECTION).toBe('none');
      const set: NodeJS.ProcessEnv = { METADATA_SERVER_DETECTION: 'assume-present' };
      skipMetadataServerDetection(set);
      expect(set.METADATA_SERVER_DETECTION).toBe('assume-present');
    });
  });

  describe('Function: objectStore', () => {
    it('serves gs:// paths from a directory with a local storage directory', () => {
      expect(objectStore({ STORAGE_EMULATOR_HOST: 'localhost:1' }, { localStorage: '/tmp/x' })).toBeInstanceOf(
        LocalObjectStore,
      );
    });

    it.each([
      ['the --storage-endpoint option', {}, { storageEndpoint: 'http://127.0.0.1:9023/' }, 'http://127.0.0.1:9023'],
      [
        'STORAGE_EMULATOR_HOST without a scheme',
        { STORAGE_EMULATOR_HOST: 'localhost:9023' },
        {},
        'http://localhost:9023',
      ],
    ])('talks to a GCS-compatible server given by %s', (_case, env, settings, endpoint) => {
      const store = objectStore(env, settings) as GcsObjectStore;
      expect(store).toBeInstanceOf(GcsObjectStore);
      expect(store.storage.apiEndpoint).toBe(endpoint);
    });

    it('uses Google Cloud Storage otherwise', () => {
      const store = objectStore({ GOOGLE_CLOUD_PROJECT: 'my-project' }) as GcsObjectStore;
      expect(store.storage.apiEndpoint).toBe('https://storage.googleapis.com');
    });
  });

  describe('Class: LazyChildren', () => {
    const record: ChildRecord = {
      key: 'square',
      id: 'acme/square:1.0.0',
      backend: { name: 'GCPPubSubBackend', project_id: 'demo-skein' },
    };

    /** Serves the record's child in memory with `runFunction`; `stop` stops serving and closes its transport. */
    async function serveChild(
      runFunction: RunFunction,
    ): Promise<{ broker: InMemoryBroker; stop: () => Promise<void> }> {
      const broker = new InMemoryBroker();
      const transport = new InMemoryTransport({ topicName: TOPIC, broker });
      await transport.ensureTopic();
      const service = new Service({ serviceId: record.id, transport, runFunction });
      const controller = new AbortController();
      let serving: Promise<void> | undefined;
      await new Promise<void>((resolve) => {
        serving = service.serve({ signal: controller.signal, onReady: () => resolve() });
      });
      return {
        broker,
        stop: async () => {
          controller.abort();
          await serving;
          await transport.close();
        },
      };
    }

    it('makes the ports only when a child is first asked, once, and closes them', async () => {
      // Prepare: a service answering in memory.
      const { broker, stop } = await serveChild(async ({ inputValues }) => ({
        outputValues: { square: (inputValues as { n: number }).n ** 2 },
      }));
      let made = 0;
      let closed = 0;
      const children = new LazyChildren(
        (): ChildPorts => {
          made += 1;
          return { transport: new InMemoryTransport({ topicName: TOPIC, broker }) };
        },
        async (ports) => {
          closed += 1;
          await ports.transport.close();
        },
      );

      // Act
      const first = children.factory(record, { serviceId: 'acme/parent:1.0.0' });
      const second = children.factory(record, {});
      const madeBeforeAsking = made;
      const answers = await Promise.all([first.ask({ inputValues: { n: 3 } }), second.ask({ inputValues: { n: 4 } })]);
      await children.close();
      await stop();

      // Assess
      expect(madeBeforeAsking).toBe(0);
      expect(made).toBe(1);
      expect(closed).toBe(1);
      expect(answers.map(({ answer }) => (answer as { outputValues: unknown }).outputValues)).toEqual([
        { square: 9 },
        { square: 16 },
      ]);
      expect(first.receivedEvents?.length).toBeGreaterThan(0);
    });

    it("holds the answers' output manifests to the Runner's allowed local roots", async () => {
      // Prepare: a service answering with a dataset in a local directory.
      const directory = mkdtempSync(join(tmpdir(), 'skein-lazy-children-'));
      writeFileSync(join(directory, 'square.csv'), 'square\n9\n');
      const { broker, stop } = await serveChild(async () => ({
        outputManifest: { id: '4a0d4d0c-7f0e-4f8e-9b1e-0a2b3c4d5e6f', datasets: { squares: directory } },
      }));
      const children = new LazyChildren(() => ({ transport: new InMemoryTransport({ topicName: TOPIC, broker }) }));

      // Act
      const allowed = children.factory(record, { allowedLocalRoots: [directory] });
      const refused = children.factory(record, {});

      // Assess
      try {
        const { answer } = await allowed.ask({});
        expect((answer as QuestionAnswer).outputManifest?.datasets.squares?.files.size).toBe(1);
        await expect(refused.ask({})).rejects.toThrow(LocalPathNotAllowed);
      } finally {
        await children.close();
        await stop();
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('rejects the ask (not the factory) when the ports cannot be made, and closes nothing', async () => {
      const children = new LazyChildren(() => {
        throw new CloudLocationNotSpecified('No project.');
      });
      const child = children.factory(record, {});
      expect(child.receivedEvents).toBeUndefined();
      await expect(child.ask({})).rejects.toThrow(CloudLocationNotSpecified);
      await expect(children.close()).resolves.toBeUndefined();
    });
  });
});

describe('Function: secretSource', () => {
  it.each<[string, Record<string, string>, string | undefined]>([
    ['the emulators are in use (there is no Secret Manager emulator)', { PUBSUB_EMULATOR_HOST: 'localhost:1' }, 'p'],
    ['no project is known', {}, undefined],
  ])('gives no secret source when %s: credentials come from the environment only', (_case, env, projectId) => {
    expect(secretSource(env, projectId)).toBeUndefined();
  });

  it.each<[Record<string, string>, string | undefined]>([
    [{}, 'my-project'],
    [{ GOOGLE_CLOUD_PROJECT: 'my-project' }, undefined],
  ])('reads Secret Manager in the project, making no client until a secret is looked up', async (env, projectId) => {
    const source = secretSource(env, projectId);

    expect(source).toBeInstanceOf(LazySecrets);
    // Closing before any lookup has nothing to close (no client was made, so nothing was dialled).
    await expect(source?.close()).resolves.toBeUndefined();
  });
});

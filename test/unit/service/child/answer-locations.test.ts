// Issue 10 item 1, parent side: a child's answer is as hostile as a question. A raw child (or a replayed recording)
// answers with an output manifest naming the parent's own files, a loopback canary URL or a bucket it must not read;
// the parent refuses it with a typed error before reading anything, and still loads a benign answer.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

import { LocalObjectStore } from '../../../../src/cloud/storage/local-object-store';
import type { ObjectStore } from '../../../../src/core/ports/object-store';
import { Dataset } from '../../../../src/core/resources';
import { BucketNotAllowed, LocalPathNotAllowed, UrlHostNotAllowed } from '../../../../src/errors';
import type { ResourceLocationNotAllowed } from '../../../../src/errors';
import { Runner, formatLogEntry } from '../../../../src/service';
import type { Analysis } from '../../../../src/service';
import type { QuestionAnswer } from '../../../../src/service/event-handler';
import { childFactory } from '../../../../src/service/child';
import type { ChildOptions } from '../../../../src/service/child';
import { ChildEmulator } from '../../../../src/service/child-emulator';
import { CHILD, MemoryNetwork, recordingLogger } from './helpers';

const SECRET = 'PRIVATE KEY of the parent';

/** The parent's machine: an allowed output root with a dataset, a victim outside it, a symlink out, a local store. */
interface Workspace {
  readonly root: string;
  readonly outputs: string;
  readonly victimDirectory: string;
  readonly victimFile: string;
  readonly store: LocalObjectStore;
}

function makeWorkspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'skein-answer-locations-'));
  const outputs = join(root, 'outputs');
  mkdirSync(join(outputs, 'summary'), { recursive: true });
  writeFileSync(join(outputs, 'summary', 'summary.csv'), 'column,mean\nx,1\n');
  const victimDirectory = join(root, 'home', '.keys');
  mkdirSync(victimDirectory, { recursive: true });
  const victimFile = join(victimDirectory, 'parent.key');
  writeFileSync(victimFile, SECRET);
  symlinkSync(victimDirectory, join(outputs, 'escape'));
  return { root, outputs, victimDirectory, victimFile, store: new LocalObjectStore({ root: join(root, 'storage') }) };
}

/** An object store that counts every call made to it (property reads of its signing base excepted). */
function countingStore(store: ObjectStore): { store: ObjectStore; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

function fileList(files: readonly unknown[], path?: string): Record<string, unknown> {
  const dataset = { id: 'b9d3c5e2-4c1a-4d2f-8a54-0f3e2c1b7a90', name: 'summary', tags: {}, labels: [], files };
  return path === undefined ? dataset : { ...dataset, path };
}

function manifest(summary: unknown): { id: string; datasets: Record<string, unknown> } {
  return { id: '2d8cf6a5-53b4-4c0b-9c1b-6f8e8a8f6a3e', datasets: { summary } };
}

// Every form of local location a hostile child can name to make its parent read the parent's own files.
const LOCAL_FORMS: ReadonlyArray<readonly [string, (w: Workspace) => unknown]> = [
  ['an absolute path', (w) => w.victimDirectory],
  ['a relative ../ path', (w) => relative(process.cwd(), w.victimDirectory)],
  ['a ../ path starting in the allowed root', (w) => join(w.outputs, '..', 'home', '.keys')],
  ['an absolute file list', (w) => fileList([w.victimFile], w.outputs)],
  [
    'a datafile primitive with a local_path',
    (w) =>
      fileList([
        {
          id: 'c0a8012e-7f3b-4b8e-9d2a-5e6f7a8b9c0d',
          path: 'gs://outputs/x',
          local_path: w.victimFile,
          timestamp: null,
          tags: {},
          labels: [],
        },
      ]),
  ],
  ['a symlinked directory escaping the allowed root', (w) => join(w.outputs, 'escape')],
  ['a file:// URL', (w) => pathToFileURL(w.victimDirectory).href],
  ['a file:// URL file list', (w) => fileList([pathToFileURL(w.victimFile).href])],
];

describe('Class: Child (locations in answers)', () => {
  let w: Workspace;
  let network: MemoryNetwork;
  let canary: Server;
  let canaryUrl: string;
  let canaryHits: number;

  beforeEach(async () => {
    w = makeWorkspace();
    network = await MemoryNetwork.start();
    canaryHits = 0;
    canary = createServer((_request, response) => {
      canaryHits += 1;
      response.end('{}');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await network.close();
    await new Promise((resolve) => canary.close(resolve));
    rmSync(w.root, { recursive: true, force: true });
  });

  /** A raw child answering every question with a result naming `summary` in its output manifest. */
  async function hostileChild(summary: unknown): Promise<void> {
    await network.script(async (_question, responder) => {
      await responder.send({ kind: 'result', output_values: { rows: 1 }, output_manifest: manifest(summary) });
    });
  }

  function child(options: Partial<ChildOptions> = {}): ReturnType<MemoryNetwork['child']> {
    return network.child({ allowedLocalRoots: [w.outputs], answerSubscriptionLingerMs: 0, ...options });
  }

  describe('Method: ask', () => {
    it.each(LOCAL_FORMS)('rejects an answer naming %s with LocalPathNotAllowed', async (_, form) => {
      await hostileChild(form(w));
      const { logger, entries } = recordingLogger();

      const asking = child({ logger }).ask({ timeout: 30 });

      await expect(asking).rejects.toThrow(LocalPathNotAllowed);
      expect(entries.map((entry) => formatLogEntry(entry))).toContainEqual(
        expect.stringContaining(`Refused the output manifest of the answer from ${CHILD}`),
      );
    });

    it('loads the same hostile answer when the victim is allowed (what the policy prevents)', async () => {
      await hostileChild(w.victimDirectory);

      const { answer } = await child({ allowedLocalRoots: [w.root] }).ask({ timeout: 30 });

      const file = answer.outputManifest?.datasets.summary?.files.one({ name: 'parent.key' });
      expect(file?.localPath).toBe(w.victimFile);
    });

    it.each([
      ['a dataset path', (url: string) => `${url}/.signed_metadata_files/summary`],
      ['a file list', (url: string) => fileList([`${url}/summary.csv`])],
      ['a signature-like query at a host that is not Cloud Storage', (url: string) => `${url}/x?X-Goog-Signature=a`],
    ])(
      'rejects an http:// URL to the loopback canary in %s with UrlHostNotAllowed, never requesting it',
      async (_, form) => {
        await hostileChild(form(canaryUrl));

        const asking = child({ objectStore: w.store }).ask({ timeout: 30 });

        await expect(asking).rejects.toThrow(UrlHostNotAllowed);
        await expect(asking).rejects.toMatchObject({ host: new URL(canaryUrl).host });
        expect(canaryHits).toBe(0);
      },
    );

    it('fetches the canary when its host is allowed (what the policy prevents)', async () => {
      await hostileChild(fileList([`${canaryUrl}/summary.csv`]));

      await child({ allowedUrlHosts: [new URL(canaryUrl).host] }).ask({ timeout: 30 });

      expect(canaryHits).toBeGreaterThan(0);
    });

    it('rejects a gs:// path outside the allowed buckets with BucketNotAllowed, never touching the store', async () => {
      const secrets = await Dataset.fromLocalDirectory(w.victimDirectory);
      await secrets.upload({ store: w.store, cloudPath: 'gs://parent-secrets/keys' });
      await hostileChild('gs://parent-secrets/keys');
      const { store, calls } = countingStore(w.store);

      const asking = child({ objectStore: store, allowedBuckets: ['outputs'] }).ask({ timeout: 30 });

      await expect(asking).rejects.toThrow(BucketNotAllowed);
      await expect(asking).rejects.toMatchObject({ bucket: 'parent-secrets', location: 'gs://parent-secrets/keys' });
      expect(calls).toEqual([]);
    });

    it('returns the refusal as the answer with raiseErrors: false', async () => {
      await hostileChild(w.victimDirectory);

      const { answer } = await child().ask({ timeout: 30, raiseErrors: false });

      expect(answer).toBeInstanceOf(LocalPathNotAllowed);
      expect((answer as ResourceLocationNotAllowed).location).toBe(w.victimDirectory);
    });

    it('loads a benign answer: a dataset inside the allowed root, and one in an allowed bucket', async () => {
      const uploaded = await Dataset.fromLocalDirectory(join(w.outputs, 'summary'));
      await uploaded.upload({ store: w.store, cloudPath: 'gs://outputs/summary' });
      await network.script(async (_question, responder) => {
        await responder.send({
          kind: 'result',
          output_values: null,
          output_manifest: {
            id: '2d8cf6a5-53b4-4c0b-9c1b-6f8e8a8f6a3e',
            datasets: { local: join(w.outputs, 'summary'), cloud: 'gs://outputs/summary' },
          },
        });
      });

      const { answer } = await child({ objectStore: w.store, allowedBuckets: ['outputs'] }).ask({ timeout: 30 });

      const datasets = answer.outputManifest?.datasets;
      expect(datasets?.local?.files.one({ name: 'summary.csv' }).localPath).toBe(
        join(w.outputs, 'summary', 'summary.csv'),
      );
      expect(datasets?.cloud?.files.one({ name: 'summary.csv' }).cloudPath).toBe('gs://outputs/summary/summary.csv');
    });

    it('refuses every local path by default', async () => {
      await hostileChild(join(w.outputs, 'summary'));

      const asking = network.child({ answerSubscriptionLingerMs: 0 }).ask({ timeout: 30 });

      await expect(asking).rejects.toThrow(LocalPathNotAllowed);
    });
  });

  describe("Runner's children", () => {
    function parentRunner(allowedLocalRoots: readonly string[]): Runner {
      return new Runner({
        app: async (analysis: Analysis) => {
          const asked = await analysis.children['summariser']?.ask({ timeout: 30 });
          const answer = asked?.answer as QuestionAnswer;
          analysis.outputValues = { files: answer.outputManifest?.datasets.summary?.files.size };
        },
        twine: { children: [{ key: 'summariser' }], output_values_schema: {} },
        children: [{ key: 'summariser', id: CHILD, backend: { name: 'GCPPubSubBackend', project_id: 'p' } }],
        childFactory: childFactory({ transport: network.transport, answerSubscriptionLingerMs: 0 }),
        allowedLocalRoots,
      });
    }

    it("holds the children's answers to the Runner's allowed local roots", async () => {
      await hostileChild(w.victimDirectory);

      await expect(parentRunner([w.outputs]).run({})).rejects.toThrow(LocalPathNotAllowed);
    });

    it("lets the factory's own allowances replace the Runner's", async () => {
      await hostileChild(join(w.outputs, 'summary'));
      const factory = childFactory({
        transport: network.transport,
        answerSubscriptionLingerMs: 0,
        allowedLocalRoots: [],
      });
      const record = { key: 'summariser', id: CHILD, backend: { name: 'GCPPubSubBackend' as const, project_id: 'p' } };
      const child = factory(record, { allowedLocalRoots: [w.outputs] });

      await expect(child.ask({ timeout: 30 })).rejects.toThrow(LocalPathNotAllowed);
    });

    it("loads a child's answer inside the Runner's allowed local roots", async () => {
      await hostileChild(join(w.outputs, 'summary'));

      const analysis = await parentRunner([w.outputs]).run({});

      expect(analysis.outputValues).toEqual({ files: 1 });
    });
  });
});

describe('Class: ChildEmulator (locations in replayed answers)', () => {
  let w: Workspace;

  beforeEach(() => {
    w = makeWorkspace();
  });

  afterEach(() => {
    rmSync(w.root, { recursive: true, force: true });
  });

  function recording(summary: unknown): unknown[] {
    return [{ kind: 'result', output_values: { rows: 1 }, output_manifest: manifest(summary) }];
  }

  it.each(LOCAL_FORMS)('rejects a recording whose answer names %s with LocalPathNotAllowed', async (_, form) => {
    const emulator = new ChildEmulator({ id: CHILD, events: recording(form(w)), allowedLocalRoots: [w.outputs] });

    await expect(emulator.ask()).rejects.toThrow(LocalPathNotAllowed);
  });

  it('rejects a hostile recording file (fromFile) naming an http:// URL with UrlHostNotAllowed, never requesting it', async () => {
    let hits = 0;
    const canary = createServer((_request, response) => {
      hits += 1;
      response.end('{}');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
      const file = join(w.root, 'hostile.json');
      writeFileSync(file, JSON.stringify(recording(fileList([`${url}/summary.csv`]))));
      const emulator = await ChildEmulator.fromFile(file, { id: CHILD });

      await expect(emulator.ask()).rejects.toThrow(UrlHostNotAllowed);
      expect(hits).toBe(0);
    } finally {
      await new Promise((resolve) => canary.close(resolve));
    }
  });

  it('rejects a recording naming a bucket outside the allowed buckets, never touching the store', async () => {
    const { store, calls } = countingStore(w.store);
    const emulator = new ChildEmulator({
      id: CHILD,
      events: recording('gs://parent-secrets/keys'),
      objectStore: store,
      allowedBuckets: ['outputs'],
    });

    await expect(emulator.ask()).rejects.toThrow(BucketNotAllowed);
    expect(calls).toEqual([]);
  });

  it('replays a benign recording whose answer names a dataset inside the allowed root', async () => {
    const emulator = new ChildEmulator({
      id: CHILD,
      events: recording(join(w.outputs, 'summary')),
      allowedLocalRoots: [w.outputs],
    });

    const { answer } = await emulator.ask();

    expect(answer?.outputManifest?.datasets.summary?.files.one({ name: 'summary.csv' }).existsLocally).toBe(true);
  });
});

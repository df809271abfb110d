import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PubSub } from '@google-cloud/pubsub';

import { PubSubTransport } from '../../../src/cloud/pubsub';
import { GcsObjectStore } from '../../../src/cloud/storage/gcs-object-store';
import { startGcsServer } from '../../../src/emulators/gcs-server';
import type { RunningGcsServer } from '../../../src/emulators/gcs-server';
import { crc32cHash } from '../../../src/core/hashing/crc32c';
import {
  ReturnCode,
  StreamEngine,
  registerFileProcessing,
  streamFile,
  streamSubscriptions,
} from '../../../src/streaming';
import type { FileTrailer, ObjectConsumer, ObjectProducer, StreamReply } from '../../../src/streaming';
import { emulatorHost } from '../../helpers/pubsub-emulator-host';

const PROJECT_ID = 'demo-skein';
const SENDER = 'acme/sender:1.0.0';
const RECEIVER = 'acme/receiver:2.0.0';

describe('Class: StreamEngine (over the Pub/Sub emulator and the GCS server)', () => {
  let topic: string;
  let transport: PubSubTransport;
  let gcs: RunningGcsServer;
  let store: GcsObjectStore;
  let bucket: string;
  let stateLocation: string;
  const engines: StreamEngine[] = [];

  beforeAll(async () => {
    gcs = await startGcsServer({ port: 0, projectId: PROJECT_ID });
    store = new GcsObjectStore({ projectId: PROJECT_ID, apiEndpoint: gcs.url });
    bucket = `streams-${randomUUID().slice(0, 8)}`;
    await store.storage.createBucket(bucket);
  });

  afterAll(async () => {
    await gcs.stop();
  });

  beforeEach(async () => {
    topic = `skein-streaming-it-${randomUUID()}`;
    stateLocation = `gs://${bucket}/state-${randomUUID()}`;
    transport = new PubSubTransport({ projectId: PROJECT_ID, topicName: topic, apiEndpoint: emulatorHost() });
    await transport.ensureTopic();
  });

  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.shutdownStreamer();
    // The shared stream subscriptions outlive the instances (and would stay attached to this test's deleted topic).
    for (const identity of [SENDER, RECEIVER]) {
      await transport.deleteSubscription(streamSubscriptions(identity, 'any').streams.name);
    }
    await transport.close();
    const admin = new PubSub({ projectId: PROJECT_ID, apiEndpoint: emulatorHost() });
    await admin
      .topic(topic)
      .delete()
      .catch(() => undefined);
    await admin.close();
  });

  async function engine(identity: string): Promise<StreamEngine> {
    const built = new StreamEngine({ identity, transport, store, stateLocation });
    engines.push(built);
    await built.listen();
    return built;
  }

  it('streams a 3.5 MiB file in 1 MiB chunks with equal CRC32C at both ends', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'skein-stream-it-'));
    try {
      const bytes = randomBytes(3.5 * 1024 * 1024);
      const source = join(dir, 'source.bin');
      await writeFile(source, bytes);
      const trailers: FileTrailer[] = [];
      registerFileProcessing(await engine(RECEIVER), 'files', 'upload', {
        destination: () => join(dir, 'received.bin'),
        onFile: (_path, trailer) => void trailers.push(trailer),
      });
      const sender = await engine(SENDER);

      // Act
      const result = await streamFile(sender, { channel: 'files', topic: 'upload', targets: [RECEIVER], path: source });

      // Assess
      expect(result).toEqual([ReturnCode.OK, true]);
      expect(trailers).toEqual([{ size: bytes.length, crc32c: crc32cHash(bytes) }]);
      expect(crc32cHash(await readFile(join(dir, 'received.bin')))).toBe(crc32cHash(bytes));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('streams chunks with a window, keeps state with generation preconditions and finalizes once', async () => {
    // Prepare: the consumer keeps its progress in saveState, as one on another instance would need.
    const received: string[] = [];
    const finalized: unknown[] = [];
    const receiver = await engine(RECEIVER);
    receiver.registerStreamProcessing('results', 'numbers', {
      getConsumer: (): ObjectConsumer => ({
        consume: (data) => {
          received.push(data.toString());
          return data.toString() === 'EOF' ? { continue: false, reply: { data: received.length } } : { continue: true };
        },
        finalize: (ctx) => {
          finalized.push(ctx['__RC__']);
        },
        saveState: () => ({ count: received.length }),
      }),
    });
    const sender = await engine(SENDER);
    const chunks = ['1', '2', '3', '4', '5', 'EOF'];
    let next = 0;
    const replies: Array<Record<string, StreamReply>> = [];
    const producer: ObjectProducer = {
      produce: () => {
        const text = chunks[next++];
        return text === undefined ? null : { data: Buffer.from(text), timeoutSeconds: 30 };
      },
      processReplies: (byTarget) => {
        replies.push({ ...byTarget });
        return Object.values(byTarget).every((reply) => reply.rc === ReturnCode.OK) ? undefined : byTarget;
      },
    };

    // Act
    const result = await sender.streamObjects('results', 'numbers', { name: 'n' }, [RECEIVER], producer, { window: 2 });

    // Assess
    expect(result).toEqual([ReturnCode.OK, undefined]);
    expect(received).toEqual(chunks);
    expect(finalized).toEqual([ReturnCode.OK]);
    expect(replies.at(-1)).toEqual({ [RECEIVER]: { rc: ReturnCode.OK, data: 6 } });
    // One object per commit (Cloud Storage allows about one write per second to one name) plus the head and the end.
    const { objects } = await store.list(`${stateLocation}/streams/`);
    const names = objects.map((object) => object.name.replace(/^.*\/streams\/[^/]+\/[^/]+\//, ''));
    expect(names).toEqual([
      'chunks/0000000000.json',
      'chunks/0000000001.json',
      'chunks/0000000002.json',
      'chunks/0000000003.json',
      'chunks/0000000004.json',
      'end.json',
      'head.json',
    ]);
    const end = objects.find((object) => object.name.endsWith('end.json'));
    expect(JSON.parse((await store.read(end?.location ?? '')).toString())).toEqual({
      rc: ReturnCode.OK,
      seq: 5,
      data: 6,
    });
  });
});

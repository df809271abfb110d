import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { OutgoingMessage, ReceivedMessage } from '../../../src/core/ports/transport';
import { crc32cHash } from '../../../src/core/hashing/crc32c';
import {
  InvalidStreamingOption,
  ReturnCode,
  registerFileProcessing,
  streamFile,
  streamSubscriptions,
} from '../../../src/streaming';
import type { FileTrailer, StreamEngine } from '../../../src/streaming';
import { RECEIVER, SENDER, StreamWorld, UnreachableTarget, deferred, waitFor } from './helpers';

describe('Function: streamFile', () => {
  let world: StreamWorld;
  let dir: string;
  let received: Array<{ path: string; trailer: FileTrailer; name: string; by: string }>;

  beforeEach(async () => {
    world = await new StreamWorld().start();
    dir = mkdtempSync(join(tmpdir(), 'skein-file-stream-'));
    received = [];
  });

  afterEach(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function receiveInto(engine: StreamEngine, by = 'receiver'): void {
    registerFileProcessing(engine, 'files', 'upload', {
      // The receiver decides where files go; the sender's name is only recorded.
      destination: () => join(dir, 'inbox', `received-${received.length}.bin`),
      onFile: (path, trailer, ctx) => {
        received.push({ path, trailer, name: String(ctx.file_name), by });
        return { stored: true };
      },
    });
  }

  function file(name: string, bytes: Buffer): string {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  it.each([
    ['2.5 chunks', 2560],
    ['exactly 2 chunks', 2048],
    ['an empty file', 0],
  ])('delivers %s intact, checked by CRC32C at both ends', async (_case, size) => {
    // Prepare
    receiveInto((await world.engine(RECEIVER)).engine);
    const { engine: sender } = await world.engine(SENDER);
    const bytes = randomBytes(size);
    const path = file('data.bin', bytes);

    // Act
    const result = await streamFile(sender, {
      channel: 'files',
      topic: 'upload',
      targets: [RECEIVER],
      path,
      chunkBytes: 1024,
    });

    // Assess
    expect(result).toEqual([ReturnCode.OK, true]);
    expect(received).toHaveLength(1);
    expect(received[0]?.name).toBe('data.bin');
    expect(readFileSync(received[0]?.path ?? '')).toEqual(bytes);
    expect(received[0]?.trailer).toEqual({ size, crc32c: crc32cHash(bytes) });
    expect(readdirSync(join(dir, 'inbox'))).toEqual(['received-0.bin']);
  });

  it('refuses a file whose bytes were changed on the way and leaves nothing behind', async () => {
    // Prepare: a transport that flips a byte of the second chunk.
    receiveInto((await world.engine(RECEIVER)).engine);
    const flipping = new UnreachableTarget(world.transport, 'nobody/none:0.0.0');
    const publish = flipping.publish.bind(flipping);
    flipping.publish = (message: OutgoingMessage) => {
      if (message.attributes.stream_event !== 'chunk' || message.attributes.seq !== '1') return publish(message);
      const data = Buffer.from(message.data);
      data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0xff;
      return publish({ ...message, data });
    };
    const { engine: sender } = await world.engine(SENDER, { transport: flipping });
    const path = file('data.bin', randomBytes(3000));

    // Act
    const result = await streamFile(sender, {
      channel: 'files',
      topic: 'upload',
      targets: [RECEIVER],
      path,
      chunkBytes: 1024,
    });

    // Assess
    expect(result).toEqual([ReturnCode.ERROR, false]);
    expect(received).toEqual([]);
    expect(readdirSync(join(dir, 'inbox'))).toEqual([]);
  });

  it('resumes a file in a restarted receiver from the saved offset and checksum', async () => {
    // Prepare: the receiving service's messages go to whichever process is current; the third chunk waits for the swap.
    const spec = streamSubscriptions(RECEIVER, 'shared').streams;
    await world.transport.createSubscription(spec);
    const { engine: first } = await world.engine(RECEIVER, {}, false);
    receiveInto(first, 'first');
    let current: StreamEngine = first;
    let chunks = 0;
    const swapped = deferred();
    await world.transport.subscribe(spec.name, async (message: ReceivedMessage) => {
      if (message.attributes.stream_event === 'chunk' && ++chunks === 3) await swapped.promise;
      await current.handleMessage(message);
    });
    const { engine: sender } = await world.engine(SENDER);
    const bytes = randomBytes(5000);
    const path = file('big.bin', bytes);
    const streaming = streamFile(sender, {
      channel: 'files',
      topic: 'upload',
      targets: [RECEIVER],
      path,
      chunkBytes: 1024,
    });
    await waitFor(() => chunks === 3, 'the third chunk');

    // Act: a new process takes over mid-file.
    const { engine: second } = await world.engine(RECEIVER, {}, false);
    receiveInto(second, 'second');
    current = second;
    swapped.resolve();

    // Assess
    await expect(streaming).resolves.toEqual([ReturnCode.OK, true]);
    expect(received.map((r) => r.by)).toEqual(['second']);
    expect(readFileSync(received[0]?.path ?? '')).toEqual(bytes);
  });

  it('refuses a chunk size that leaves no room for the framing byte', async () => {
    const { engine: sender } = await world.engine(SENDER);
    const path = file('x.bin', Buffer.from('x'));
    await expect(
      streamFile(sender, { channel: 'files', topic: 'upload', targets: [RECEIVER], path, chunkBytes: 7 * 1024 * 1024 }),
    ).rejects.toBeInstanceOf(InvalidStreamingOption);
    expect(existsSync(path)).toBe(true);
  });
});

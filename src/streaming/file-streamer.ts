import { open } from 'node:fs/promises';
import { basename } from 'node:path';

import { Crc32c } from '../core/hashing/crc32c';
import { InvalidStreamingOption } from '../errors';
import type { StreamEngine } from './engine';
import { frameData, frameTrailer } from './file-frames';
import { FileConsumerFactory } from './file-consumer';
import type { FileProcessingOptions } from './file-consumer';
import { DEFAULT_CHUNK_BYTES, MAX_CHUNK_BYTES } from './limits';
import { ReturnCode } from './types';
import type { ObjectProducer, ProducedObject, StreamObjectsOptions, StreamReply, StreamResult } from './types';

/** What {@link streamFile} sends. */
export interface StreamFileParams {
  readonly channel: string;
  readonly topic: string;
  readonly targets: readonly string[];
  /** The local file to send. */
  readonly path: string;
  /** Bytes per chunk; default 1 MiB (NVFlare's), at most {@link MAX_CHUNK_BYTES} − 1 (one byte frames it). */
  readonly chunkBytes?: number;
  /** Seconds to wait for every target's reply to each chunk; default 30. */
  readonly chunkTimeoutSeconds?: number;
  /** The stream's options (`signal`, `window`, `questionUuid`, …). */
  readonly options?: StreamObjectsOptions;
}

/**
 * Sends a local file to every target in chunks (NVFlare's `FileStreamer`). After the data comes a trailer with the
 * size and CRC32C of what was read, which receivers check before they keep the file, and which they echo back.
 * @param engine - The engine to stream with.
 * @param params - Channel, topic, targets, the file and the chunking.
 * @returns `[OK, true]` when every target received the file intact; `[ERROR, false]` when a target refused a chunk,
 *   missed a reply or found another checksum; TASK_ABORTED when aborted.
 * @throws InvalidStreamingOption for a chunk size or timeout out of range; the file system's error when the file
 *   cannot be read.
 */
export async function streamFile(engine: StreamEngine, params: StreamFileParams): Promise<StreamResult> {
  const chunkBytes = params.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES - 1) {
    throw new InvalidStreamingOption(
      'chunkBytes',
      `chunkBytes must be a whole number from 1 to ${MAX_CHUNK_BYTES - 1}.`,
    );
  }
  const timeoutSeconds = params.chunkTimeoutSeconds ?? 30;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new InvalidStreamingOption('chunkTimeoutSeconds', 'chunkTimeoutSeconds must be a positive number.');
  }
  const handle = await open(params.path, 'r');
  try {
    const { size } = await handle.stat();
    // The name is for the receiver's information only: where the file goes is the receiver's choice.
    const ctx = { file_name: basename(params.path), file_size: size };
    const producer = new FileProducer(handle, chunkBytes, timeoutSeconds);
    return await engine.streamObjects(params.channel, params.topic, ctx, params.targets, producer, params.options);
  } finally {
    await handle.close();
  }
}

/**
 * Receives files sent with {@link streamFile} on a channel and topic: each is written next to the receiver-chosen
 * destination as a part file, checked against the trailer's size and CRC32C, then renamed into place.
 * @param engine - The engine to receive with.
 * @param channel - The channel.
 * @param topic - The topic.
 * @param options - `destination` (the receiver's choice of path, never the sender's) and `onFile`.
 */
export function registerFileProcessing(
  engine: StreamEngine,
  channel: string,
  topic: string,
  options: FileProcessingOptions,
): void {
  const factory = new FileConsumerFactory(options);
  engine.registerStreamProcessing(channel, topic, factory, {
    streamDoneCb: (ctx, rt) => factory.done(ctx, rt),
  });
}

class FileProducer implements ObjectProducer {
  private position = 0;
  private finished = false;
  private readonly crc = new Crc32c();

  constructor(
    private readonly handle: Awaited<ReturnType<typeof open>>,
    private readonly chunkBytes: number,
    private readonly timeoutSeconds: number,
  ) {}

  async produce(): Promise<ProducedObject | null> {
    if (this.finished) return null;
    const buffer = Buffer.alloc(this.chunkBytes);
    const { bytesRead } = await this.handle.read(buffer, 0, this.chunkBytes, this.position);
    if (bytesRead === 0) {
      this.finished = true;
      return {
        data: frameTrailer({ size: this.position, crc32c: this.crc.toString() }),
        timeoutSeconds: this.timeoutSeconds,
      };
    }
    const data = buffer.subarray(0, bytesRead);
    this.crc.update(data);
    this.position += bytesRead;
    return { data: frameData(data), timeoutSeconds: this.timeoutSeconds };
  }

  processReplies(replies: Readonly<Record<string, StreamReply>>): unknown {
    if (!Object.values(replies).every((reply) => reply.rc === ReturnCode.OK)) return false;
    if (!this.finished) return undefined;
    // End to end: every receiver must echo the checksum this side computed while reading.
    const expected = this.crc.toString();
    return Object.values(replies).every(
      (reply) => (reply.data as { crc32c?: unknown } | undefined)?.crc32c === expected,
    );
  }
}

import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

import { Crc32c } from '../core/hashing/crc32c';
import { StreamingError } from '../errors';
import { readFrame } from './file-frames';
import type { FileTrailer } from './file-frames';
import { ReturnCode, StreamContextKey } from './types';
import type { ConsumeResult, ConsumerFactory, ObjectConsumer, StreamContext, StreamRuntime } from './types';

/** What a receiver is told about a file before choosing where it goes. */
export interface IncomingFile {
  /** The sender's file name: information only, never a path to use as is. */
  readonly fileName: string;
  /** The size the sender declared; more bytes than this are refused. */
  readonly fileSize: number;
}

/** Options for `registerFileProcessing`. */
export interface FileProcessingOptions {
  /** Where a received file goes: the receiver's choice (a stream message never chooses a local path). */
  destination(file: IncomingFile, ctx: StreamContext, rt: StreamRuntime): string | Promise<string>;
  /** Called once a file arrived intact and is in place; its result is the stream's end result. */
  onFile?(path: string, trailer: FileTrailer, ctx: StreamContext, rt: StreamRuntime): unknown;
}

/** A file consumer's progress, saved after each chunk so another process can resume it. */
interface FileProgress {
  readonly destination: string;
  readonly partPath: string;
  readonly declaredSize: number;
  readonly received: number;
  readonly crc: number;
  readonly done: boolean;
}

// Where a finished consumer leaves its outcome for the stream-done callback, which sees the same context.
const RECEIVED_FILE = '__skein_received_file__';

/** Makes, restores and reports the consumers of file streams. */
export class FileConsumerFactory implements ConsumerFactory {
  /** @param options - The destination chooser and the file callback. */
  constructor(private readonly options: FileProcessingOptions) {}

  /** @inheritDoc */
  async getConsumer(ctx: StreamContext, rt: StreamRuntime): Promise<ObjectConsumer> {
    const fileSize = ctx.file_size;
    if (typeof fileSize !== 'number' || !Number.isSafeInteger(fileSize) || fileSize < 0) {
      throw new StreamingError('A file stream must declare its file_size as a whole number of bytes.');
    }
    const fileName = typeof ctx.file_name === 'string' ? ctx.file_name : '';
    const destination = await this.options.destination({ fileName, fileSize }, ctx, rt);
    if (typeof destination !== 'string' || destination === '') {
      throw new StreamingError('destination must return a local path.');
    }
    await mkdir(dirname(destination), { recursive: true });
    const partPath = `${destination}.part-${randomUUID()}`;
    return new FileConsumer({ destination, partPath, declaredSize: fileSize, received: 0, crc: 0, done: false });
  }

  /** @inheritDoc */
  restoreConsumer(state: unknown): ObjectConsumer {
    const progress = state as Partial<FileProgress> | undefined;
    if (
      typeof progress?.destination !== 'string' ||
      typeof progress.partPath !== 'string' ||
      typeof progress.declaredSize !== 'number' ||
      typeof progress.received !== 'number' ||
      typeof progress.crc !== 'number'
    ) {
      throw new StreamingError('The saved state of a file stream is not one a file consumer saved.');
    }
    return new FileConsumer(progress as FileProgress);
  }

  /**
   * The stream-done callback: calls `onFile` for a file that arrived intact.
   * @returns What `onFile` returned (the stream's end result).
   */
  async done(ctx: StreamContext, rt: StreamRuntime): Promise<unknown> {
    const received = ctx[RECEIVED_FILE] as { path: string; trailer: FileTrailer } | undefined;
    if (ctx[StreamContextKey.RC] !== ReturnCode.OK || received === undefined) return undefined;
    return this.options.onFile?.(received.path, received.trailer, ctx, rt);
  }
}

/** Writes one stream's file: bytes at their offset in a part file, renamed into place once the trailer checks out. */
class FileConsumer implements ObjectConsumer {
  constructor(private progress: FileProgress) {}

  async consume(data: Buffer): Promise<ConsumeResult> {
    const frame = readFrame(data);
    if (frame === undefined) throw new StreamingError('The chunk is not a file-stream chunk.');
    const { received, declaredSize, partPath } = this.progress;
    if (this.progress.done) throw new StreamingError('The file was already complete.');
    if (frame.kind === 'data') {
      if (received + frame.bytes.length > declaredSize) {
        throw new StreamingError(`The file is larger than its declared ${declaredSize} bytes.`);
      }
      // Written at the offset the saved progress names, so consuming a chunk again writes the same bytes again.
      const handle = await open(partPath, received === 0 ? 'w' : 'r+');
      try {
        await handle.write(frame.bytes, 0, frame.bytes.length, received);
      } finally {
        await handle.close();
      }
      const crc = new Crc32c(this.progress.crc);
      crc.update(frame.bytes);
      this.progress = Object.assign({}, this.progress, { received: received + frame.bytes.length, crc: crc.digest() });
      return { continue: true };
    }
    const { trailer } = frame;
    const crc32c = new Crc32c(this.progress.crc).toString();
    if (trailer.size !== received || received !== declaredSize || trailer.crc32c !== crc32c) {
      throw new StreamingError(
        `The file does not check out: ${received} bytes with CRC32C ${crc32c} received, ` +
          `${trailer.size} bytes with ${trailer.crc32c} sent, ${declaredSize} declared.`,
      );
    }
    if (received === 0) await (await open(partPath, 'w')).close();
    await rename(partPath, this.progress.destination);
    this.progress = Object.assign({}, this.progress, { done: true });
    return { continue: false, reply: { data: { size: received, crc32c } } };
  }

  async finalize(ctx: StreamContext): Promise<void> {
    if (!this.progress.done) {
      // A file that did not arrive intact leaves nothing behind.
      await rm(this.progress.partPath, { force: true });
      return;
    }
    ctx[RECEIVED_FILE] = {
      path: this.progress.destination,
      trailer: { size: this.progress.received, crc32c: new Crc32c(this.progress.crc).toString() },
    };
  }

  saveState(): FileProgress {
    return this.progress;
  }
}

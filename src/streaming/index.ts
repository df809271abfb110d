/**
 * `skein/streaming`: NVFlare's object streaming on Skein. A producer streams objects of any size to one or more
 * services with stop-and-wait back-pressure; receivers consume them with one consumer per stream, keep each stream's
 * state durable in the object store (chunks may land on different instances), answer duplicates with the stored
 * reply, and finalize every stream exactly once, including streams whose sender died (idle timeout).
 *
 * Consumers should make `consume` idempotent per (stream, sequence): the durable commit after `consume` is the
 * exactly-once point, and a chunk handled concurrently by two instances, or by an instance that died before
 * committing, may be consumed again.
 *
 * @example
 * ```ts
 * import { StreamEngine, ReturnCode } from 'skein/streaming';
 * const engine = new StreamEngine({ identity, transport, store, stateLocation: 'gs://bucket/streams' });
 * await engine.listen();
 * const [rc] = await engine.streamObjects('channel', 'topic', {}, [target], producer);
 * ```
 * @module
 */
export { StreamEngine } from './engine';
export type { StreamEngineOptions } from './options';
export type { SweepReport } from './receiver';
export { StreamContextKey, ReturnCode, isReturnCode } from './types';
export type {
  StreamContext,
  StreamRuntime,
  ProducedObject,
  StreamReply,
  ConsumerReply,
  ObjectProducer,
  ConsumeResult,
  ObjectConsumer,
  ConsumerFactory,
  StreamDoneCallback,
  ConsumedCallback,
  StreamProcessingOptions,
  StreamObjectsOptions,
  StreamResult,
} from './types';
export { DEFAULT_CHUNK_BYTES, MAX_CHUNK_BYTES, MAX_CONTEXT_BYTES, MAX_REPLY_BYTES, pushEnvelopeBytes } from './limits';
export { streamFile, registerFileProcessing } from './file-streamer';
export type { StreamFileParams } from './file-streamer';
export type { FileProcessingOptions, IncomingFile } from './file-consumer';
export type { FileTrailer } from './file-frames';
export { streamContainer, registerContainerProcessing } from './container-streamer';
export type { StreamContainerParams, ContainerProcessingOptions } from './container-streamer';
export { streamSubscriptions } from './topology';
export type { StreamSubscriptions } from './topology';
export {
  StreamingError,
  ChunkTooLarge,
  InvalidStreamObject,
  InvalidStreamingOption,
  StreamingFeatureUnavailable,
  StreamerShutDown,
} from '../errors';

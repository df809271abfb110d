/** The chunk size streamers use unless told otherwise: 1 MiB, as NVFlare's file streamer and F3 transport. */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/** The largest JSON context that may travel with sequence 0. */
export const MAX_CONTEXT_BYTES = 64 * 1024;

/** The largest JSON reply body (consumer data plus the end result). */
export const MAX_REPLY_BYTES = 64 * 1024;

/**
 * Room left for the rest of a push envelope around the base64 data: attributes (at most 100 of ≤ 256 + 1024 bytes
 * each would be 128 000 bytes, but stream messages carry about ten short ones), message id, publish time, ordering key,
 * subscription path and JSON punctuation.
 */
export const PUSH_ENVELOPE_ALLOWANCE_BYTES = 64 * 1024;

/** Bytes a chunk's body adds around its data: the format byte (the context counts separately). */
export const CHUNK_FRAMING_BYTES = 1;

/**
 * The size of a Pub/Sub push envelope carrying a message body of `bodyBytes`: push delivery base64-encodes data,
 * which grows it by a third, so a raw limit of 10 MB would let an 8 MiB chunk through publish and break every push.
 * @param bodyBytes - The message data's size.
 * @returns An upper bound of the push request body's size.
 */
export function pushEnvelopeBytes(bodyBytes: number): number {
  return 4 * Math.ceil(bodyBytes / 3) + PUSH_ENVELOPE_ALLOWANCE_BYTES;
}

/**
 * The hard cap on one chunk's data: 7 MiB. With the largest context and the framing byte, the push envelope stays
 * under Pub/Sub's 10 MB ({@link pushEnvelopeBytes}(1 + 64 KiB + 7 MiB) ≈ 9.94 MB); 8 MiB would not (≈ 11.3 MB).
 */
export const MAX_CHUNK_BYTES = 7 * 1024 * 1024;

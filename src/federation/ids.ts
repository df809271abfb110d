/**
 * Message ids in FLAME's format, `<first 4 characters of the sender id>-<message number>-<last 4 characters of a
 * uuid>`, and the checks a received id must pass before it may name a mailbox object.
 * @module
 */

/** Analysis ids are question uuids (or explicit ids of the same alphabet); they become one path segment. */
export const ANALYSIS_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const MESSAGE_ID_PATTERN = /^(.{1,4})-(\d{1,15})-([0-9a-f]{4})$/s;

/**
 * Makes a message id as FLAME does.
 * @param senderId - The sender's SRUID.
 * @param number - The sender's message number (1, 2, …).
 * @param uuid - A fresh UUID.
 * @returns The id, e.g. `acme-3-9f2c`.
 */
export function makeMessageId(senderId: string, number: number, uuid: string): string {
  return `${senderId.slice(0, 4)}-${number}-${uuid.slice(-4)}`;
}

/**
 * Whether a received message id is well formed and was made by `senderId` (its prefix is the sender's).
 * @param messageId - The id as received.
 * @param senderId - The sender the message claims.
 * @returns Whether the id can be trusted to name a mailbox record.
 */
export function isMessageIdOf(messageId: string, senderId: string): boolean {
  const match = MESSAGE_ID_PATTERN.exec(messageId);
  return match !== null && match[1] === senderId.slice(0, 4);
}

/**
 * The message number in an id made by {@link makeMessageId}.
 * @param messageId - The id.
 * @returns Its number, or 0 when the id is not in FLAME's format.
 */
export function messageNumberOf(messageId: string): number {
  return Number(MESSAGE_ID_PATTERN.exec(messageId)?.[2] ?? 0);
}

/**
 * Encodes an id as one object-name segment (SRUIDs may put `/` or `:` in the prefix).
 * @param id - A checked message id.
 * @returns The segment.
 */
export function idSegment(id: string): string {
  return encodeURIComponent(id);
}

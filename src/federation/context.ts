import { validateWithSchema } from '../core/json-schema';
import { isValidSruid } from '../core/service-id';
import { InvalidFederationMessage } from '../errors';
import { ANALYSIS_ID_PATTERN } from './ids';
import type { NodeType, Participant } from './types';

/**
 * The federation context a node's question carries: the analysis id, the project and every participant (the
 * aggregator included) with its node type.
 *
 * It travels as Pub/Sub extension attributes `skein_federation_0`, `skein_federation_1`, … (compact JSON cut into
 * pieces of at most 1000 bytes) plus `skein_federation_parts` (how many). Octue peers decode only the attributes they
 * know and validate that minimal set, so a plain Octue service asked such a question answers it as any other; the
 * question's data (`input_values`, `input_manifest`) stays the node's twine's business alone. Locations (mailbox,
 * results) are deliberately NOT in the context: each service uses its own configured mailbox root, so a message can
 * never choose where anything is written.
 * @module
 */

/** A federated analysis as every participant knows it. */
export interface FederationContext {
  /** The analysis id (by default the originator question uuid). */
  readonly analysisId: string;
  /** The project that owns local data across analyses. */
  readonly projectId: string;
  /** Every participant, the aggregator included. */
  readonly participants: readonly Participant[];
}

/** The most participants one analysis may have (the context must fit in the question's attributes). */
export const MAX_PARTICIPANTS = 128;
/** The attribute holding the number of context pieces. */
export const CONTEXT_PARTS_ATTRIBUTE = 'skein_federation_parts';
const PIECE_BYTES = 1000;
const MAX_PIECES = 40;

const CONTEXT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'analysis', 'project', 'participants'],
  properties: {
    v: { const: 1 },
    analysis: { type: 'string', pattern: ANALYSIS_ID_PATTERN.source },
    project: { type: 'string', minLength: 1, maxLength: 128 },
    participants: {
      type: 'array',
      minItems: 2,
      maxItems: MAX_PARTICIPANTS,
      items: {
        type: 'array',
        minItems: 2,
        maxItems: 2,
        items: [{ type: 'string', minLength: 1, maxLength: 300 }, { enum: ['aggregator', 'default'] }],
        additionalItems: false,
      },
    },
  },
} as const;

/**
 * Encodes a context as extension attributes.
 * @param context - The context (checked by the caller: participants are valid SRUIDs).
 * @returns The `skein_federation_*` attributes.
 * @throws InvalidFederationMessage when the context is too large for a question's attributes.
 */
export function encodeContext(context: FederationContext): Record<string, string> {
  const text = JSON.stringify({
    v: 1,
    analysis: context.analysisId,
    project: context.projectId,
    participants: context.participants.map((participant) => [participant.nodeId, participant.nodeType]),
  });
  // SRUIDs, ids and types are ASCII, so characters are bytes and the pieces can be cut anywhere.
  const pieces = Math.ceil(text.length / PIECE_BYTES);
  if (pieces > MAX_PIECES || context.participants.length > MAX_PARTICIPANTS) {
    throw new InvalidFederationMessage(
      `The federation context (${context.participants.length} participants) is too large for a question's attributes.`,
    );
  }
  const attributes: Record<string, string> = { [CONTEXT_PARTS_ATTRIBUTE]: String(pieces) };
  for (let index = 0; index < pieces; index += 1) {
    attributes[`skein_federation_${index}`] = text.slice(index * PIECE_BYTES, (index + 1) * PIECE_BYTES);
  }
  return attributes;
}

/**
 * Reads the context from a question's extension attributes, checking everything (they are hostile until checked).
 * @param attributes - The question's extension attributes.
 * @returns The context, or `undefined` when the question carries none.
 * @throws InvalidFederationMessage when a context is present but malformed, too large or not self-consistent.
 */
export function decodeContext(attributes: Readonly<Record<string, string>>): FederationContext | undefined {
  const parts = Object.hasOwn(attributes, CONTEXT_PARTS_ATTRIBUTE) ? attributes[CONTEXT_PARTS_ATTRIBUTE] : undefined;
  if (parts === undefined) return undefined;
  const count = /^\d{1,2}$/.test(parts) ? Number(parts) : NaN;
  if (!(count >= 1 && count <= MAX_PIECES)) {
    throw new InvalidFederationMessage(`The federation context has an invalid number of parts ('${parts}').`);
  }
  let text = '';
  for (let index = 0; index < count; index += 1) {
    const name = `skein_federation_${index}`;
    const piece = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
    if (piece === undefined) throw new InvalidFederationMessage(`The federation context lacks its part ${index}.`);
    text += piece;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidFederationMessage('The federation context is not JSON.', { cause: error });
  }
  const result = validateWithSchema(CONTEXT_SCHEMA, data);
  if (!result.valid) {
    throw new InvalidFederationMessage('The federation context is malformed.', {
      failures: result.failures,
      cause: result.errors,
    });
  }
  const checked = data as { analysis: string; project: string; participants: [string, NodeType][] };
  const participants = checked.participants.map(([nodeId, nodeType]) => ({ nodeId, nodeType }));
  checkParticipants(participants);
  return { analysisId: checked.analysis, projectId: checked.project, participants };
}

/**
 * Checks a participant list: valid SRUIDs, no repeats, exactly one aggregator.
 * @param participants - The list.
 * @throws InvalidFederationMessage when it breaks a rule.
 */
export function checkParticipants(participants: readonly Participant[]): void {
  const seen = new Set<string>();
  for (const { nodeId } of participants) {
    if (!isValidSruid(nodeId)) throw new InvalidFederationMessage(`'${nodeId}' is not a participant's SRUID.`);
    if (seen.has(nodeId)) throw new InvalidFederationMessage(`'${nodeId}' appears twice among the participants.`);
    seen.add(nodeId);
  }
  if (participants.filter((participant) => participant.nodeType === 'aggregator').length !== 1) {
    throw new InvalidFederationMessage('A federated analysis has exactly one aggregator.');
  }
}

import { decodeAttributes, parseEventData } from '../core/events';
import type { AttributeSources, ExceptionEvent, QuestionAttributes } from '../core/events';
import type { Transport } from '../core/ports/transport';
import { isValidSruid } from '../core/service-id';
import { InvalidQuestion } from '../errors';
import type { InvalidEvent, ValidationFailure } from '../errors';
import { settleClaim } from './claims';
import type { ClaimLease, QuestionClaims } from './claims';
import type { Logger } from './logging';
import type { QuestionInput } from './question';
import { Responder } from './responder';

// The exception names each failure, but a hostile question can break the schema in thousands of places (and choose
// property names, which end up in pointers): the list and each pointer are bounded so the event stays small.
const MAX_REPORTED_FAILURES = 20;
const MAX_POINTER_LENGTH = 200;
// Octue's question uuids are uuid4 text. Only such uuids route a response to a question that could not be read: they
// become the response's ordering key and the claim's path, so nothing else a message chose may reach them.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SDK_VERSION = /^[0-9A-Za-z.+-]{1,64}$/;

function eventKindOf(input: QuestionInput): unknown {
  try {
    const event = 'event' in input ? input.event : parseEventData(input.data);
    return typeof event === 'object' && event !== null && !Array.isArray(event)
      ? (event as { kind?: unknown }).kind
      : undefined;
  } catch {
    return undefined;
  }
}

function isUuid(value: unknown): boolean {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * The attributes to answer an unreadable question with, when they are enough to route a response along the normal
 * route and nowhere else; `undefined` otherwise. They are enough when the event is a JSON object of kind `question`
 * (anything else, e.g. a future `cancellation`, is not a question to answer), and its attributes decode and pass the
 * schema's attribute rules, come from a parent, are addressed to this service, name the sender, parent and originator
 * by valid SRUIDs, carry uuid4-form question, parent-question and originator-question uuids and a plain SDK version.
 * The response then goes where every response goes: to the sender, on the configured topic.
 * @param input - The question as received.
 * @param serviceId - This service's SRUID.
 * @returns The question's attributes, or `undefined` when a response cannot be routed.
 */
export function routableQuestionAttributes(input: QuestionInput, serviceId: string): QuestionAttributes | undefined {
  if (typeof input !== 'object' || input === null || !('attributes' in input)) return undefined;
  if (eventKindOf(input) !== 'question') return undefined;
  let decoded: Record<string, unknown>;
  try {
    decoded = decodeAttributes(input.attributes, 'question') as unknown as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const routable =
    decoded.sender_type === 'PARENT' &&
    decoded.recipient === serviceId &&
    [decoded.sender, decoded.parent, decoded.originator].every((id) => typeof id === 'string' && isValidSruid(id)) &&
    isUuid(decoded.question_uuid) &&
    isUuid(decoded.originator_question_uuid) &&
    (decoded.parent_question_uuid === undefined || isUuid(decoded.parent_question_uuid)) &&
    typeof decoded.sender_sdk_version === 'string' &&
    SDK_VERSION.test(decoded.sender_sdk_version);
  return routable ? (decoded as unknown as QuestionAttributes) : undefined;
}

function bounded(failures: readonly ValidationFailure[]): ValidationFailure[] {
  // An error that came with no failures (one not raised by validation) still names where: the whole document.
  if (failures.length === 0) return [{ pointer: '', message: 'could not be read' }];
  const shown = failures
    .slice(0, MAX_REPORTED_FAILURES)
    .map((failure) =>
      failure.pointer.length > MAX_POINTER_LENGTH
        ? Object.assign({}, failure, { pointer: `${failure.pointer.slice(0, MAX_POINTER_LENGTH)}…` })
        : failure,
    );
  const more = failures.length - shown.length;
  return more > 0 ? [...shown, { pointer: '', message: `and ${more} more failures` }] : shown;
}

/**
 * The error a parent is sent for a question that breaks the service-communication schema: every failure (up to a
 * bound) with its JSON pointer into `{event, attributes}`.
 * @param invalid - Why the question could not be read.
 * @returns The error to send.
 */
function invalidQuestionError(invalid: InvalidEvent): InvalidQuestion {
  return new InvalidQuestion('The question does not conform to the service-communication schema:', {
    failures: bounded(invalid.failures),
    kind: 'question',
  });
}

/** What {@link reportInvalidQuestion} needs. */
export interface ReportInvalidQuestionParams {
  readonly attributes: QuestionAttributes;
  readonly invalid: InvalidEvent;
  readonly serviceId: string;
  readonly transport: Transport;
  readonly claims: QuestionClaims;
  /** How long the claim's lease lasts (the service's heartbeat-derived lease). */
  readonly leaseMs: number;
  readonly logger: Logger;
  readonly sources?: AttributeSources;
}

/**
 * Sends the parent of an invalid (but routable) question an `exception` event naming each failure, once per attempt:
 * the attempt is claimed as a valid question's would be, so a redelivery or republication of the same poison question
 * is answered only once. A claim that cannot be decided still sends the exception (a duplicate exception is harmless
 * to a parent, which stops at the first; no exception leaves it waiting until its timeout). Never throws.
 * @param params - The question's attributes, why it is invalid, and the service's ports.
 * @returns The exception sent, or `undefined` when the attempt was already claimed or sending failed.
 */
export async function reportInvalidQuestion(params: ReportInvalidQuestionParams): Promise<ExceptionEvent | undefined> {
  const { attributes, logger } = params;
  const questionUuid = attributes.question_uuid;
  let lease: ClaimLease | undefined;
  try {
    const decision = await params.claims.claim(
      { questionUuid, retryCount: attributes.retry_count },
      { leaseMs: params.leaseMs },
    );
    if (decision.status !== 'claimed') {
      // Finished: already reported. Held: another delivery is reporting it now (the invalid question is acked, so
      // nothing would come back for a retry: one report is enough).
      logger.info('Invalid question %s was already answered with an exception; dropped.', questionUuid);
      return undefined;
    }
    lease = decision.lease;
  } catch (error) {
    logger.exception(`Invalid question ${questionUuid} could not be claimed; reporting it anyway.`, error);
  }
  const responder = new Responder({
    transport: params.transport,
    question: attributes,
    serviceId: params.serviceId,
    logger: logger.child('responder'),
    sources: params.sources,
  });
  try {
    const exception = await responder.exception(invalidQuestionError(params.invalid));
    logger.info('Sent question %s back to its parent as invalid.', questionUuid);
    if (lease !== undefined) await settleClaim(questionUuid, lease.finish(), logger);
    return exception;
  } catch (error) {
    logger.exception(`The exception for invalid question ${questionUuid} could not be sent.`, error);
    if (lease !== undefined) await settleClaim(questionUuid, lease.release(), logger);
    return undefined;
  }
}

import { matchesAttributeFilter } from '../core/ports/transport';
import type { ReceivedMessage } from '../core/ports/transport';
import { childSubscription } from '../core/topology';
import type { AnswerOutcome, Logger } from '../service';
import type { AnsweringService, DeliveryReport, FunctionMessage } from './types';

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether the service's outcome can be got past by delivering the message again. Only these can: the claim could not
 * be decided (the service nacked; nothing ran), another delivery holds a live lease on the attempt (the service
 * nacked; if that delivery's instance dies, a later one answers it), and an answer that ended with no response
 * reaching the parent at all (neither result nor exception could be published), which a later delivery to a fresh
 * instance may manage.
 * Everything else was answered, reported to the parent, or can never be answered, so it is acknowledged.
 */
function needsRedelivery(outcome: AnswerOutcome, settled: 'ack' | 'nack' | undefined): boolean {
  if (settled === 'nack' || outcome.status === 'unclaimed') return true;
  return outcome.status === 'failed' && outcome.exception === undefined;
}

function outcomeDetail(outcome: AnswerOutcome): string | undefined {
  switch (outcome.status) {
    case 'invalid':
    case 'unclaimed':
    case 'failed':
      return describeError(outcome.error);
    case 'duplicate':
      return `Retry ${outcome.retryCount} of this question was already answered.`;
    case 'deferred':
      return `Retry ${outcome.retryCount} of this question is being answered by another delivery; deliver it later.`;
    default:
      return undefined;
  }
}

/**
 * Drops a message that is not a question for the service: another recipient, or not sent by a parent (the emulator
 * ignores subscription filters, so a push subscription receives every event on the topic, and anyone able to reach
 * the endpoint can send anything). It needs only the service's SRUID, so it runs before the service is built.
 * @param message - The message delivered.
 * @param serviceId - The SRUID of the service the function answers as.
 * @param logger - Where the drop is logged.
 * @returns The `not-addressed` report (acknowledged) for a message to drop, `undefined` for a question to answer.
 */
export function dropUnlessAddressed(
  message: FunctionMessage,
  serviceId: string,
  logger: Logger,
): DeliveryReport | undefined {
  const { attributes } = message;
  if (matchesAttributeFilter(attributes, childSubscription(serviceId).filter)) return undefined;
  logger.info(
    'Message %s is not a question for %s (recipient %s, sender type %s); it was acknowledged without answering.',
    message.id,
    serviceId,
    attributes.recipient ?? '(none)',
    attributes.sender_type ?? '(none)',
  );
  const questionUuid = attributes.question_uuid;
  return {
    messageId: message.id,
    status: 'not-addressed',
    acknowledged: true,
    ...(questionUuid === undefined ? {} : { questionUuid }),
  };
}

/** What {@link deliverMessage} needs. */
export interface DeliverMessageParams {
  /** The service answering. */
  readonly service: AnsweringService;
  /** The message delivered. */
  readonly message: FunctionMessage;
  /** Where drops and refusals are logged. */
  readonly logger: Logger;
}

/**
 * Hands one delivered message to a service and decides whether Pub/Sub should deliver it again. Messages that are not
 * questions for this service (another recipient, or a child's response: the emulator ignores subscription filters, so
 * a push subscription receives every event on the topic) are acknowledged without answering, as a filtered
 * subscription would never have delivered them. Otherwise the service answers it (see `Service.answer`) and its
 * acknowledgement decision is followed.
 * @param params - The service, the message and the logger.
 * @returns The report: `acknowledged: false` means respond 5xx so the message is delivered again.
 */
export async function deliverMessage(params: DeliverMessageParams): Promise<DeliveryReport> {
  const { service, message, logger } = params;
  const { attributes } = message;
  const questionUuid = attributes.question_uuid;
  const withUuid = questionUuid === undefined ? {} : { questionUuid };
  const dropped = dropUnlessAddressed(message, service.id, logger);
  if (dropped !== undefined) return dropped;

  let settled: 'ack' | 'nack' | undefined;
  // Object.assign rather than `{...a, b}`: V8 writes properties that follow a leading spread on a slow path.
  const received: ReceivedMessage = Object.assign({}, message, {
    ack: () => {
      settled ??= 'ack';
    },
    nack: () => {
      settled ??= 'nack';
    },
  });
  let outcome: AnswerOutcome;
  try {
    outcome = await service.answer(received);
  } catch (error) {
    // Service.answer never throws; another AnsweringService might. Nothing is known to have run, so try again.
    logger.exception(`Answering message ${message.id} failed; it will be delivered again.`, error);
    return { messageId: message.id, status: 'unavailable', acknowledged: false, detail: describeError(error) };
  }
  const acknowledged = !needsRedelivery(outcome, settled);
  const detail = outcomeDetail(outcome);
  const uuidText = questionUuid ?? '(unknown)';
  // One line per delivery, naming the message, so each delivery and redelivery can be traced in the function's logs.
  if (acknowledged) {
    logger.info('Message %s (question %s) ended %s; it was acknowledged.', message.id, uuidText, outcome.status);
  } else {
    // A delivery of a question another delivery is answering is routine (Pub/Sub redelivers at least once); the
    // other refusals mean something failed.
    logger[outcome.status === 'deferred' ? 'info' : 'error'](
      'Message %s (question %s) ended %s and was refused so that Pub/Sub delivers it again: %s',
      message.id,
      uuidText,
      outcome.status,
      detail ?? outcome.status,
    );
  }
  return {
    messageId: message.id,
    status: outcome.status,
    acknowledged,
    ...withUuid,
    ...(detail === undefined ? {} : { detail }),
  };
}

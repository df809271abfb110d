import { randomUUID } from 'node:crypto';

import {
  encodeAttributes,
  errorToExceptionEvent,
  makeDeliveryAcknowledgementEvent,
  makeHeartbeatEvent,
  makeLogRecordEvent,
  makeMonitorMessageEvent,
  makeQuestionAttributes,
  makeQuestionEvent,
  makeResponseAttributes,
  makeResultEvent,
} from '../../src/core/events';
import type { ServiceEvent } from '../../src/core/events';
import type { EventDelivery } from '../../src/hub/store/event-rows';

/** SRUIDs of the services in sample conversations. */
export const PARENT_SRUID = 'acme/parent:1.0.0';
export const CHILD_SRUID = 'acme/child:2.1.0';

let tick = 0;
// Every event gets a later time than the one before, one millisecond and one microsecond apart, so orders are certain
// and microseconds are exercised.
function nextTime(): string {
  tick += 1;
  const millis = Date.UTC(2025, 5, 1, 10, 0, 0) + tick;
  return `${new Date(millis).toISOString().slice(0, 23)}${String(tick % 1000).padStart(3, '0')}+00:00`;
}

/** Responses a child typically sends: an acknowledgement, a heartbeat, a log record, a monitor message and a result. */
export function typicalResponses(outputValues: unknown = { n: 5 }): ServiceEvent[] {
  return [
    makeDeliveryAcknowledgementEvent(),
    makeHeartbeatEvent(),
    makeLogRecordEvent({ level: 'info', message: 'Started.', name: 'app', time: new Date('2025-06-01T10:00:00Z') }),
    makeMonitorMessageEvent({ progress: 0.5 }),
    makeResultEvent({ outputValues }),
  ];
}

/** The responses of a child whose app failed. */
export function failingResponses(message: string): ServiceEvent[] {
  return [makeDeliveryAcknowledgementEvent(), errorToExceptionEvent(new TypeError(message), CHILD_SRUID)];
}

/** A question and its answer as Pub/Sub delivers them (string attributes, delivery details). */
export interface Conversation {
  readonly questionUuid: string;
  readonly deliveries: EventDelivery[];
}

/**
 * Makes the events of one question and the child's responses, in the order they were sent, with attributes as
 * Pub/Sub strings.
 */
export function conversation(
  params: {
    readonly questionUuid?: string;
    readonly parentQuestionUuid?: string;
    readonly originatorQuestionUuid?: string;
    readonly parent?: string;
    readonly child?: string;
    readonly retryCount?: number;
    readonly responses?: readonly ServiceEvent[];
  } = {},
): Conversation {
  const questionUuid = params.questionUuid ?? randomUUID();
  const child = params.child ?? CHILD_SRUID;
  const question = makeQuestionAttributes(
    {
      sender: params.parent ?? PARENT_SRUID,
      recipient: child,
      questionUuid,
      parentQuestionUuid: params.parentQuestionUuid,
      originatorQuestionUuid: params.originatorQuestionUuid,
      retryCount: params.retryCount,
    },
    { now: () => new Date(), newUuid: randomUUID },
  );
  const stamp = <A extends object>(attributes: A): A => Object.assign({}, attributes, { datetime: nextTime() });
  const deliveries: EventDelivery[] = [
    { event: makeQuestionEvent({ inputValues: { n: 5 } }), attributes: encodeAttributes(stamp(question)) },
  ];
  for (const event of params.responses ?? typicalResponses()) {
    deliveries.push({ event, attributes: encodeAttributes(stamp(makeResponseAttributes(question, child))) });
  }
  deliveries.forEach((delivery, index) => {
    Object.assign(delivery, { backendMetadata: { messageId: `${questionUuid}-${index}`, orderingKey: questionUuid } });
  });
  return { questionUuid, deliveries };
}

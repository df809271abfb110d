import { InvalidEvent, InvalidServiceID, RedeliveryRequested } from '../errors';
import { createLogger } from '../service';
import type { Logger } from '../service';
import { deliverMessage, dropUnlessAddressed } from './deliver';
import { messageIdOf, readPubSubMessage } from './pubsub-message';
import type { MessageFallbacks } from './pubsub-message';
import type {
  AnsweringService,
  BackgroundContextLike,
  CloudEventLike,
  DeliveryReport,
  FunctionMessage,
  HttpRequestLike,
  HttpResponseLike,
  ServiceBuilder,
  ServiceSource,
} from './types';

/** Options for {@link functionHandlers}. */
export interface FunctionHandlerOptions {
  /**
   * The service, or its identity and a builder called on the first delivery addressed to it (the cold start), whose
   * service is then reused.
   */
  readonly service: ServiceSource;
  /** Where the handlers log drops and refusals; default a logger with no sinks. */
  readonly logger?: Logger;
}

/** The three function signatures functions-framework supports, all answering through one service. */
export interface FunctionHandlers {
  /**
   * For `--signature-type=cloudevent` (Cloud Run functions, Eventarc, and push subscriptions whose endpoint path
   * includes `projects/<project>/topics/<topic>`). Resolves with the report when the message is acknowledged; rejects
   * with `RedeliveryRequested` (functions-framework answers 500) when Pub/Sub should deliver it again.
   */
  readonly cloudEvent: (event: CloudEventLike) => Promise<DeliveryReport>;
  /**
   * For `--signature-type=http` behind a push subscription: reads the push body `{message, subscription}` and answers
   * 200 with the report when the message is acknowledged, 500 when it should be delivered again.
   */
  readonly http: (request: HttpRequestLike, response: HttpResponseLike) => Promise<void>;
  /** For `--signature-type=event` (gen1 background functions): `(data, context)` with the message as `data`. */
  readonly event: (data: unknown, context?: BackgroundContextLike) => Promise<DeliveryReport>;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The identity a function answers as, and the service itself, each resolved once and shared. */
interface ServiceGetter {
  /** The SRUID, from configuration alone; throws while it cannot be resolved. */
  readonly serviceId: () => string;
  /** The service (built on first use); a failed build is forgotten so the next delivery tries again. */
  readonly service: () => Promise<AnsweringService>;
}

function isBuilder(source: ServiceSource): source is ServiceBuilder {
  return typeof (source as Partial<ServiceBuilder>).build === 'function';
}

function serviceGetter(source: ServiceSource): ServiceGetter {
  if (!isBuilder(source)) return { serviceId: () => source.id, service: () => Promise.resolve(source) };
  let serviceId: string | undefined;
  let building: Promise<AnsweringService> | undefined;
  const resolveId = (): string => (serviceId ??= source.serviceId());
  return {
    serviceId: resolveId,
    service: () => {
      if (building === undefined) {
        const attempt = Promise.resolve()
          .then(() => source.build())
          .then((service) => {
            // The addressee check used the configured identity; a service answering as another would undo it.
            if (service.id !== resolveId()) {
              throw new InvalidServiceID(
                `The service was built as '${service.id}', but its builder's serviceId is '${resolveId()}'.`,
                { serviceId: service.id },
              );
            }
            return service;
          });
        building = attempt;
        attempt.catch(() => {
          if (building === attempt) building = undefined;
        });
      }
      return building;
    },
  };
}

/**
 * Turns a Skein service into functions-framework handlers. Each handler reads the Pub/Sub message out of its event
 * shape, and then:
 * - a message that cannot be read (no message, empty or non-base64 data, non-string attributes), one that is not a
 *   question for this service (another recipient, or a child's response), and an invalid question are acknowledged
 *   with a log line: delivering them again could never succeed. Whether a message is for this service is decided
 *   from the configured identity before the service is built, so such a delivery builds nothing;
 * - where a delivery says it came from (push path, CloudEvent source, subscription) is never used: the service's
 *   project and topic come from its configuration only;
 * - a question is answered through `service.answer`, which reports the result or the app's exception to the parent;
 *   the handler resolves (2xx) once everything is published, since a function may lose its CPU after responding;
 * - failures a later delivery can get past — the service cannot be built, the claim cannot be decided, no response
 *   could be published — are refused (5xx) so that Pub/Sub delivers the message again.
 * @param options - The service (or its builder) and the logger.
 * @returns The CloudEvent, HTTP (push body) and background-event handlers, sharing one service.
 * @example
 * ```ts
 * // functions/index.ts, served with: functions-framework --target=wind --signature-type=cloudevent
 * export const wind = functionHandlers({
 *   service: { serviceId: () => windSettings().serviceId, build: () => buildWindService(windSettings()) },
 * }).cloudEvent;
 * ```
 */
export function functionHandlers(options: FunctionHandlerOptions): FunctionHandlers {
  const logger = options.logger ?? createLogger({ name: 'skein.function' });
  const services = serviceGetter(options.service);

  async function handle(message: unknown, pointer: string, fallbacks: MessageFallbacks): Promise<DeliveryReport> {
    let read: FunctionMessage;
    try {
      read = readPubSubMessage(message, pointer, fallbacks);
    } catch (error) {
      if (!(error instanceof InvalidEvent)) throw error;
      const messageId = messageIdOf(message, fallbacks.id);
      logger.warning(
        'Message %s cannot be read and was acknowledged so that it is not delivered again: %s',
        messageId ?? '(no id)',
        error.message,
      );
      const report: DeliveryReport = { messageId, status: 'undeliverable', acknowledged: true, detail: error.message };
      return report;
    }
    let service: AnsweringService;
    try {
      // Who the message is for is checked against the configured identity before anything is built, so a poison
      // delivery (another recipient, a response, a forged push path) builds nothing and changes no state.
      const dropped = dropUnlessAddressed(read, services.serviceId(), logger);
      if (dropped !== undefined) return dropped;
      service = await services.service();
    } catch (error) {
      logger.exception(`The service could not be built; message ${read.id} will be delivered again.`, error);
      const detail = `The service could not be built: ${error instanceof Error ? error.message : String(error)}`;
      const report: DeliveryReport = { messageId: read.id, status: 'unavailable', acknowledged: false, detail };
      return report;
    }
    return deliverMessage({ service, message: read, logger });
  }

  function refuse(report: DeliveryReport): never {
    throw new RedeliveryRequested(
      `Message ${report.messageId ?? '(no id)'} was refused so that Pub/Sub delivers it again: ` +
        `${report.detail ?? report.status}`,
      { messageId: report.messageId, questionUuid: report.questionUuid },
    );
  }

  return {
    async cloudEvent(event) {
      // functions-framework passes a push body it cannot convert (one with empty data) through unchanged, so the
      // message is then at the top level; reading it there lets the drop be logged with the message's id.
      const passedThrough = field(event, 'data') === undefined && field(event, 'message') !== undefined;
      const data = passedThrough ? event : field(event, 'data');
      const fallbacks = { id: field(event, 'id'), time: field(event, 'time') };
      const pointer = passedThrough ? '/message' : '/data/message';
      const report = await handle(field(data, 'message'), pointer, fallbacks);
      return report.acknowledged ? report : refuse(report);
    },

    async http(request, response) {
      const body = field(request, 'body');
      const fallbacks = { deliveryAttempt: field(body, 'deliveryAttempt') };
      const report = await handle(field(body, 'message'), '/message', fallbacks);
      response.status(report.acknowledged ? 200 : 500).send(report);
    },

    async event(data, context) {
      const fallbacks = { id: field(context, 'eventId'), time: field(context, 'timestamp') };
      const report = await handle(data, '/data', fallbacks);
      return report.acknowledged ? report : refuse(report);
    },
  };
}

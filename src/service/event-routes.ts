import type { Logger } from './logging';
import type { QuestionInput } from './question';

/**
 * A message on a service's subscription that is not an Octue question but belongs to a Skein extension (such as a
 * federation message), as a route receives it: the raw data and string attributes, both unchecked.
 */
export interface RoutedEvent {
  /** The message data as received (hostile until the route checks it). */
  readonly data: Buffer;
  /** The message attributes as received (hostile until the route checks them). */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Takes the messages of one extension off a service's subscription before they are read as questions. Extensions
 * sit above the runtime, so the runtime knows them only through this shape.
 */
export interface EventRoute {
  /** A short name for logs and outcomes, e.g. `federation`. */
  readonly name: string;
  /** Whether the message is this route's (decided from attributes alone, before any parsing). */
  matches(attributes: Readonly<Record<string, string>>): boolean;
  /**
   * Handles one message. Resolving acknowledges it; rejecting nacks it, so the transport redelivers it (routes must
   * therefore be idempotent).
   */
  handle(event: RoutedEvent): Promise<void>;
}

/**
 * Finds the route for a delivered message, if any; only transport messages and raw message parts (string attributes
 * and data) can be routed.
 * @param routes - The service's routes.
 * @param input - The delivery.
 * @returns The route and the event it gets, or `undefined` when the input is a question (or unroutable).
 */
export function findRoute(
  routes: readonly EventRoute[],
  input: QuestionInput,
): { route: EventRoute; event: RoutedEvent } | undefined {
  if (routes.length === 0 || typeof input !== 'object' || input === null || !('data' in input)) return undefined;
  const attributes = input.attributes as Readonly<Record<string, unknown>>;
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === 'string') Object.defineProperty(strings, key, { value, enumerable: true, writable: true });
  }
  const route = routes.find((candidate) => candidate.matches(strings));
  if (route === undefined) return undefined;
  const { data } = input;
  const buffer = Buffer.isBuffer(data)
    ? data
    : typeof data === 'string'
      ? Buffer.from(data, 'utf8')
      : Buffer.from(data);
  return { route, event: { data: buffer, attributes: strings } };
}

/**
 * Hands a message to its route, acknowledging it once the route has handled it and refusing it (so the transport
 * redelivers it) when the route failed.
 * @param route - The route.
 * @param event - The message as the route receives it.
 * @param settle - Acknowledges or refuses the delivery.
 * @param logger - Where a failure is logged.
 * @returns The route's error, or `undefined` when it succeeded.
 */
export async function handleRouted(
  route: EventRoute,
  event: RoutedEvent,
  settle: (action: 'ack' | 'nack') => void,
  logger: Logger,
): Promise<unknown> {
  try {
    await route.handle(event);
    settle('ack');
    return undefined;
  } catch (error) {
    settle('nack');
    logger.exception(`The ${route.name} route failed on a message; it will be redelivered.`, error);
    return error;
  }
}

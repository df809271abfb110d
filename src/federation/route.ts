import { InvalidFederationMessage, ObjectNotFound } from '../errors';
import type { EventRoute } from '../service';
import { decodeContext } from './context';
import type { FederationContext } from './context';
import { IntermediateStore } from './intermediate';
import { Mailbox } from './mailbox';
import type { ResolvedFederationOptions } from './options';
import { decodeFederationEvent, encodeAck, EVENT_ATTRIBUTE } from './wire';
import type { WireAck, WireMessage } from './wire';

// Contexts already read, by analysis id; bounded so that messages naming many analyses cannot grow it for ever.
const CONTEXT_CACHE_LIMIT = 256;

/**
 * Reads the context this participant stored when it joined an analysis.
 * @param mailbox - Its mailbox for the analysis.
 * @param store - The object store.
 * @returns The context, or `undefined` when it has not joined (yet).
 */
export async function readStoredContext(
  mailbox: Mailbox,
  store: ResolvedFederationOptions['objectStore'],
): Promise<FederationContext | undefined> {
  if (!(await store.exists(mailbox.contextLocation))) return undefined;
  const stored = JSON.parse((await store.read(mailbox.contextLocation)).toString('utf8')) as Record<string, string>;
  return decodeContext(stored);
}

/**
 * The service-runtime route of federation events (the counterpart of FLAME's webhook): each message addressed to this
 * service is checked, stored in its mailbox once (create-if-absent) and acknowledged every time, duplicates included;
 * each acknowledgement is stored in the mailbox of the message's sender (this service). Malformed events, events for
 * another recipient and events from non-participants are dropped (acknowledged, never stored). An event for an
 * analysis this service has not joined yet is refused, so the transport redelivers it once the node's question has
 * arrived.
 * @param options - The resolved federation options.
 * @returns The route to give the Service.
 */
export function federationRoute(options: ResolvedFederationOptions): EventRoute {
  const contexts = new Map<string, FederationContext>();
  const self = options.serviceId;
  const log = (message: string, error?: unknown): void => {
    if (error === undefined) options.logger?.warning(message);
    else options.logger?.exception(message, error);
  };

  const contextOf = async (mailbox: Mailbox, analysisId: string): Promise<FederationContext> => {
    const cached = contexts.get(analysisId);
    if (cached !== undefined) return cached;
    const context = await readStoredContext(mailbox, options.objectStore);
    if (context === undefined) {
      throw new InvalidFederationMessage(`This service has not joined the analysis '${analysisId}' (yet).`);
    }
    if (contexts.size >= CONTEXT_CACHE_LIMIT) contexts.delete(contexts.keys().next().value as string);
    contexts.set(analysisId, context);
    return context;
  };

  // A spilled body is read from this service's own global data, by an id checked as a UUID: the message names
  // nothing else. A body that is not a JSON object is refused like any malformed message.
  const bodyOf = async (message: WireMessage, context: FederationContext): Promise<Record<string, unknown>> => {
    if (!message.spilledBodyId) return message.body;
    const data = new IntermediateStore(
      options.objectStore,
      options.dataRoot,
      context.projectId,
      message.analysisId,
      self,
      options.newUuid,
      () => options.clock.now(),
    );
    const body = await data.readById('global', message.spilledBodyId);
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.hasOwn(body, 'meta')) {
      throw new InvalidFederationMessage('A spilled message body is not a JSON object without meta.');
    }
    return body as Record<string, unknown>;
  };

  const receiveMessage = async (mailbox: Mailbox, message: WireMessage, context: FederationContext): Promise<void> => {
    const arrivedAt = options.clock.now().toISOString();
    await mailbox.storeIncoming({
      body: await bodyOf(message, context),
      meta: {
        type: 'incoming',
        category: message.category,
        id: message.messageId,
        aknId: self,
        status: 'unread',
        sender: message.sender,
        createdAt: message.createdAt,
        arrivedAt,
        number: message.number,
        inReplyTo: message.inReplyTo,
      },
    });
    const ack: WireAck = {
      analysisId: message.analysisId,
      sender: self,
      recipient: message.sender,
      category: message.category,
      messageId: message.messageId,
      arrivedAt,
    };
    await options.transport.publish(encodeAck(ack));
  };

  return {
    name: 'federation',
    matches: (attributes) => Object.hasOwn(attributes, EVENT_ATTRIBUTE),
    handle: async ({ data, attributes }) => {
      let decoded: ReturnType<typeof decodeFederationEvent>;
      try {
        decoded = decodeFederationEvent(data, attributes);
      } catch (error) {
        return log('A malformed federation event was dropped.', error);
      }
      const event = decoded.kind === 'message' ? decoded.message : decoded.ack;
      if (event.recipient !== self) return log(`A federation event for '${event.recipient}' was dropped.`);
      const mailbox = new Mailbox(options.objectStore, options.mailboxRoot, event.analysisId, self);
      const context = await contextOf(mailbox, event.analysisId);
      if (event.sender === self || !context.participants.some((p) => p.nodeId === event.sender)) {
        return log(`A federation event from '${event.sender}', not a participant, was dropped.`);
      }
      if (decoded.kind === 'message') {
        try {
          await receiveMessage(mailbox, decoded.message, context);
        } catch (error) {
          // A spilled body that is missing or malformed can never become readable: drop it rather than redeliver.
          if (error instanceof InvalidFederationMessage || error instanceof ObjectNotFound) {
            return log('A federation message whose spilled body cannot be read was dropped.', error);
          }
          throw error;
        }
      } else await mailbox.storeAck(decoded.ack.messageId, decoded.ack.sender, decoded.ack.arrivedAt);
    },
  };
}

import type { Router } from 'express';
import { z } from 'zod';

import { parseEventData } from '../../core/events';
import type { HubStore } from '../store/hub-store';
import type { RejectedEvent } from '../store/event-store';
import { checkBody } from './errors';

// Pub/Sub's JSON form of bytes is standard (or URL-safe) base64. Node's decoder skips characters outside the alphabet
// silently, so the text is checked first: a corrupted message is refused, never decoded into different bytes.
const base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64')
  .refine((text) => text.length % 4 !== 1, 'must be base64');

/** Where Pub/Sub pushes events. */
export const INGEST_PATH = '/ingest/pubsub';

/** A Pub/Sub push request's body (unknown keys, such as `publishTime`, are ignored). */
export const pubSubPushSchema = z.object({
  message: z.object({
    data: base64.min(1),
    attributes: z.record(z.string(), z.string()).nullish(),
    messageId: z.string().optional(),
    orderingKey: z.string().optional(),
  }),
  subscription: z.string().optional(),
});

/**
 * Adds `POST /ingest/pubsub`, which stores one Pub/Sub push delivery of an event (the services topic's push
 * subscription sends every event here). A stored or already-stored event answers 202 (Pub/Sub's acknowledgement); so
 * does an event that breaks the service-communication format, with the reason, since redelivering it could never
 * succeed. A store failure answers 500, so Pub/Sub delivers again.
 *
 * Not authenticated yet: the OIDC check of Pub/Sub's token comes with the Hub's auth, before it is deployed.
 * @param router - The router to add it to.
 * @param store - The Hub's store.
 */
export function ingestRoute(router: Router, store: HubStore): void {
  router.post(INGEST_PATH, async (req, res) => {
    const { message } = checkBody(pubSubPushSchema, req.body);
    let event: unknown;
    try {
      event = parseEventData(Buffer.from(message.data, 'base64'));
    } catch (error) {
      const rejected: RejectedEvent[] = [{ index: 0, reason: (error as Error).message }];
      res.status(202).json({ data: { stored: 0, duplicates: 0, rejected }, meta: {} });
      return;
    }
    const report = await store.ingestEvents([
      {
        event,
        attributes: message.attributes ?? {},
        backendMetadata: { messageId: message.messageId, orderingKey: message.orderingKey },
      },
    ]);
    res.status(202).json({ data: report, meta: {} });
  });
}

import type { Request, Router } from 'express';

import type { ExceptionEvent, ResultEvent } from '../../core/events';
import { HubEntityNotFound, HubRequestError } from '../../errors';
import { parseEventsQuery } from '../api/events-query';
import { HUB_RESOURCES } from '../api/resources';
import type { HubStore } from '../store/hub-store';

/** The answer of a question as `GET /analysis-nodes/:id/answer` shows it. */
export interface AnswerBody {
  /** The question. */
  readonly questionUuid: string;
  /** The question's status (of its latest attempt). */
  readonly status: string;
  /** With `executed`: the result's output values (`null` when it had none). */
  readonly outputValues?: unknown;
  /** With `executed`: the result's output manifest, serialised (`null` when it had none). */
  readonly outputManifest?: unknown;
  /** With `failed`: the remote exception, as its event carried it. */
  readonly exception?: { readonly type: string; readonly message: string; readonly traceback: readonly string[] };
}

function rawQuery(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? '' : req.originalUrl.slice(at + 1);
}

/**
 * Adds the event-store routes: `GET /question-events` (Octue's `get_events`, with its parameters as query
 * parameters) and `GET /analysis-nodes/:id/answer` (a question's result or exception, once stored, so the answer of
 * an asynchronous question can be fetched later).
 * @param router - The router to add them to (before the resource routes, so they take precedence).
 * @param store - The Hub's store.
 */
export function questionRoutes(router: Router, store: HubStore): void {
  router.get('/question-events', async (req, res) => {
    const query = parseEventsQuery(rawQuery(req));
    const data = await store.getEvents(query);
    res.json({ data, meta: { total: data.length } });
  });

  router.get('/analysis-nodes/:id/answer', async (req, res) => {
    if (rawQuery(req) !== '') {
      throw new HubRequestError('An answer takes no query parameters.', {
        statusCode: 400,
        code: 'keyNotAllowed',
        issues: [{ path: [], code: 'keyNotAllowed', message: 'takes no query parameters' }],
      });
    }
    const questionUuid = String(req.params.id);
    const definition = HUB_RESOURCES['analysis-nodes']!;
    const node = await store.get(definition, questionUuid, { fields: ['id', 'status', 'retryCount'], include: [] });
    if (node === undefined) throw new HubEntityNotFound(definition.name, questionUuid);
    const finals = await store.getEvents({ questionUuid, kinds: ['result', 'exception'], tail: true, limit: 1 });
    // Only the latest attempt's answer counts: an earlier attempt's exception is not the answer of a retry.
    const final = finals.find((stored) => stored.attributes.retry_count === node.retryCount);
    const body: Record<string, unknown> = { questionUuid, status: node.status };
    if (final?.event.kind === 'result') {
      const event = final.event as ResultEvent;
      body.outputValues = event.output_values ?? null;
      body.outputManifest = event.output_manifest ?? null;
    } else if (final?.event.kind === 'exception') {
      const event = final.event as ExceptionEvent;
      body.exception = {
        type: event.exception_type,
        message: event.exception_message,
        traceback: event.exception_traceback,
      };
    }
    res.json({ data: body as unknown as AnswerBody, meta: {} });
  });
}

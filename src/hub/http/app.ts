import express from 'express';
import type { Express, Request, RequestHandler, Router } from 'express';

import { HubEntityNotFound } from '../../errors';
import { parseListQuery } from '../api/query';
import { HUB_RESOURCES } from '../api/resources';
import type { ResourceDefinition } from '../api/resources';
import { HUB_OPTIONS } from '../options';
import type { HubResourceStore, HubStore } from '../store/hub-store';
import { checkBody, errorHandler, methodNotAllowedHandler, notFoundHandler } from './errors';
import { INGEST_PATH, ingestRoute } from './ingest-route';
import { questionRoutes } from './question-routes';
import { registryRoute } from './registry-route';

/** What {@link createHubApp} serves. */
export interface HubAppOptions {
  /** Where the records and events are. */
  readonly store: HubStore;
  /** The largest body read, in bytes (default: the `maxBodyBytes` option's default); larger ones get 413. */
  readonly maxBodyBytes?: number;
  /** The largest Pub/Sub push body read (default: the `maxPushBodyBytes` option's default). */
  readonly maxPushBodyBytes?: number;
  /** Receives the Hub's own failures (500s), e.g. to log them; their details never reach the client. */
  readonly onError?: (error: unknown) => void;
}

/** The raw query string of a request (parsed by the Hub itself: Express's parsers drop keys such as `__proto__`). */
function rawQuery(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? '' : req.originalUrl.slice(at + 1);
}

function idOf(req: Request): string {
  return String(req.params.id);
}

// Express 5 passes a rejected promise from a handler to the error handler.
function resourceRoutes(router: Router, definition: ResourceDefinition, store: HubResourceStore): void {
  const collection = `/${definition.name}`;
  const item = `/${definition.name}/:id`;
  const single = (req: Request) => parseListQuery(definition, rawQuery(req), { list: false });
  const found = <T>(record: T | undefined, id: string): T => {
    if (record === undefined) throw new HubEntityNotFound(definition.name, id);
    return record;
  };

  router.get(collection, async (req, res) => {
    const query = parseListQuery(definition, rawQuery(req));
    const { data, total } = await store.list(definition, query);
    res.json({ data, meta: { total, limit: query.limit, offset: query.offset } });
  });
  router.get(item, async (req, res) => {
    const record = found(await store.get(definition, idOf(req), single(req)), idOf(req));
    res.json({ data: record, meta: {} });
  });
  const { create, update } = definition;
  if (create !== undefined) {
    router.post(collection, async (req, res) => {
      single(req);
      const record = await store.create(definition, checkBody(create, req.body));
      res.status(201).json({ data: record, meta: {} });
    });
  }
  if (update !== undefined) {
    router.post(item, async (req, res) => {
      single(req);
      const values = checkBody(update, req.body);
      const record = found(await store.update(definition, idOf(req), values), idOf(req));
      res.status(202).json({ data: record, meta: {} });
    });
  }
  if (definition.deletable) {
    router.delete(item, async (req, res) => {
      single(req);
      const record = found(await store.delete(definition, idOf(req)), idOf(req));
      res.status(202).json({ data: record, meta: {} });
    });
  }
  router.all([collection, item], methodNotAllowedHandler);
}

/**
 * Makes the Hub's REST API: the FLAME Hub's resources and conventions (the `filter[field]` grammar, `page[limit]`
 * clamped to 50, `sort`, `fields`, `include`, `{data, meta}` envelopes, 201/202, 404 `entity_not_found`), plus
 * Skein's event-store routes (`/question-events`, `/analysis-nodes/:id/answer`, `POST /ingest/pubsub`) and Octue's service registry (`/registry/:namespace/:name`), stricter
 * where the Hub is lax (disallowed keys and `__proto__` anywhere in a query get 400). It is an Express application,
 * so it can be served by `http.createServer`, mounted in another app, or handed to functions-framework as an HTTP
 * function. It has no authentication yet: do not expose it.
 * @param options - The store and limits.
 * @returns The application.
 */
export function createHubApp(options: HubAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', false);
  const jsonBodies = (limit: number): RequestHandler =>
    express.json({ limit, strict: true, type: ['application/json', 'application/*+json'] });
  // Pushed events may be as large as Pub/Sub allows; every other body is small. The first parser to read a body marks
  // it read, so the general one then leaves it alone.
  app.use(INGEST_PATH, jsonBodies(options.maxPushBodyBytes ?? HUB_OPTIONS.maxPushBodyBytes.defaultValue));
  app.use(jsonBodies(options.maxBodyBytes ?? HUB_OPTIONS.maxBodyBytes.defaultValue));
  const router = express.Router();
  questionRoutes(router, options.store);
  ingestRoute(router, options.store);
  registryRoute(router, options.store);
  for (const definition of Object.values(HUB_RESOURCES)) resourceRoutes(router, definition, options.store);
  app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(options.onError));
  return app;
}

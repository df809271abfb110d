import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';

import { HubRequestError } from '../../errors';
import type { HubIssue } from '../../errors';

/** The FLAME Hub's error body. */
export interface ErrorBody {
  /** The HTTP status. */
  readonly statusCode: number;
  /** A machine-readable code, e.g. `entity_not_found`. */
  readonly code: string;
  /** A human-readable summary. */
  readonly message: string;
  /** Every problem found. */
  readonly issues: readonly HubIssue[];
}

/**
 * Checks a request body against its schema.
 * @param schema - The body's schema (strict: unknown keys, `__proto__` included, are refused).
 * @param body - The parsed body; `undefined` when the request had no JSON body.
 * @returns The checked values.
 * @throws HubRequestError 400 listing every problem.
 */
export function checkBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HubRequestError('The body must be a JSON object (Content-Type: application/json).', {
      statusCode: 400,
      code: 'bad_request',
      issues: [{ path: [], code: 'invalid_type', message: 'must be a JSON object' }],
    });
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    code: issue.code,
    message: issue.message,
  }));
  throw new HubRequestError(`The body is not valid: ${issues[0]?.message ?? 'unknown problem'}.`, {
    statusCode: 400,
    code: 'bad_request',
    issues,
  });
}

// body-parser's failures, by its `type`: what status and code each answers with.
const BODY_FAILURES: Readonly<Record<string, { statusCode: number; code: string; message: string }>> = {
  'entity.parse.failed': { statusCode: 400, code: 'bad_request', message: 'The body is not valid JSON.' },
  'entity.too.large': { statusCode: 413, code: 'payload_too_large', message: 'The body is too large.' },
  'entity.verify.failed': { statusCode: 400, code: 'bad_request', message: 'The body could not be read.' },
  'request.aborted': { statusCode: 400, code: 'bad_request', message: 'The request was aborted.' },
  'request.size.invalid': { statusCode: 400, code: 'bad_request', message: 'The body size does not match.' },
  'encoding.unsupported': { statusCode: 415, code: 'unsupported_media_type', message: 'Unsupported encoding.' },
  'charset.unsupported': { statusCode: 415, code: 'unsupported_media_type', message: 'Unsupported charset.' },
};

function describe(error: unknown): ErrorBody {
  if (error instanceof HubRequestError) {
    return { statusCode: error.statusCode, code: error.code, message: error.message, issues: error.issues };
  }
  const failure = BODY_FAILURES[(error as { type?: string } | null)?.type ?? ''];
  if (failure !== undefined) {
    return { ...failure, issues: [{ path: [], code: failure.code, message: failure.message }] };
  }
  // Express's own refusals (such as a path that is not valid percent-encoding) carry their 4xx status.
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = 'The request could not be read.';
    return { statusCode: status, code: 'bad_request', message, issues: [{ path: [], code: 'bad_request', message }] };
  }
  // Anything else is the Hub's own failure: its details (SQL, stack) stay on the server.
  return { statusCode: 500, code: 'internal_server_error', message: 'The Hub failed to answer.', issues: [] };
}

/**
 * Makes the Express error handler that answers every failure with the FLAME Hub's error body.
 * @param onError - Receives failures that are the Hub's own (500s), e.g. to log them.
 * @returns The handler.
 */
export function errorHandler(onError?: (error: unknown) => void): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const body = describe(error);
    if (body.statusCode >= 500) onError?.(error);
    res.status(body.statusCode).json(body);
  };
}

/** Answers requests no route took: 404 `not_found`. */
export const notFoundHandler: RequestHandler = (req, res) => {
  const body: ErrorBody = {
    statusCode: 404,
    code: 'not_found',
    message: `There is no ${req.method} ${req.path}.`,
    issues: [],
  };
  res.status(404).json(body);
};

/** Answers a verb a resource does not have: 405 `method_not_allowed`. */
export const methodNotAllowedHandler: RequestHandler = (req, res) => {
  const body: ErrorBody = {
    statusCode: 405,
    code: 'method_not_allowed',
    message: `${req.method} is not allowed on ${req.path}.`,
    issues: [],
  };
  res.status(405).json(body);
};

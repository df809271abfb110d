import { SkeinError } from '../../errors';

/** Context for a {@link GcsApiError}. */
export interface GcsApiErrorContext {
  /** The HTTP status GCS answers with (400, 403, 404, 409, 412, …). */
  readonly status: number;
  /** GCS's JSON API reason, e.g. `notFound`, `conditionNotMet`, `invalid`. */
  readonly reason: string;
  /** The XML API error code used on signed-URL routes, e.g. `NoSuchKey`, `SignatureDoesNotMatch`. */
  readonly xmlCode?: string;
  /** Extra detail for the XML API's `<Details>` element. */
  readonly details?: string;
  /** The failure that caused it, when there is one. */
  readonly cause?: unknown;
}

/**
 * A request the GCS-compatible server refuses, with the status and reason real Cloud Storage uses. Route handlers
 * throw it; the router turns it into a JSON (`{"error":{code,message,errors:[{reason,…}]}}`) or XML error body.
 */
export class GcsApiError extends SkeinError {
  /** HTTP status. */
  readonly status: number;
  /** JSON API reason. */
  readonly reason: string;
  /** XML API error code (signed-URL routes). */
  readonly xmlCode: string;
  /** XML API details, when any. */
  readonly details: string | undefined;

  /**
   * @param message - The message GCS would send, e.g. `No such object: bucket/name`.
   * @param context - Status, reason and optional XML code/details and cause.
   */
  constructor(message: string, context: GcsApiErrorContext) {
    super(message, { cause: context.cause });
    this.status = context.status;
    this.reason = context.reason;
    this.xmlCode = context.xmlCode ?? xmlCodeFor(context.status);
    this.details = context.details;
  }
}

function xmlCodeFor(status: number): string {
  if (status === 404) return 'NoSuchKey';
  if (status === 412) return 'PreconditionFailed';
  if (status === 403) return 'AccessDenied';
  return 'InvalidArgument';
}

/** 404 for a missing object, with GCS's exact message. */
export function noSuchObject(bucket: string, name: string): GcsApiError {
  return new GcsApiError(`No such object: ${bucket}/${name}`, { status: 404, reason: 'notFound' });
}

/** 404 for a missing bucket. */
export function noSuchBucket(bucket: string): GcsApiError {
  return new GcsApiError(`The specified bucket does not exist: ${bucket}`, {
    status: 404,
    reason: 'notFound',
    xmlCode: 'NoSuchBucket',
  });
}

/** 412 when an `if*Match` precondition does not hold. */
export function preconditionFailed(detail: string): GcsApiError {
  return new GcsApiError(`At least one of the pre-conditions you specified did not hold (${detail}).`, {
    status: 412,
    reason: 'conditionNotMet',
  });
}

/** 400 for a malformed request. */
export function badRequest(message: string, cause?: unknown): GcsApiError {
  return new GcsApiError(message, { status: 400, reason: 'invalid', cause });
}

/** 501 for a route or feature this server does not implement. */
export function notImplemented(what: string): GcsApiError {
  return new GcsApiError(`Not implemented by Skein's GCS-compatible server: ${what}`, {
    status: 501,
    reason: 'notImplemented',
    xmlCode: 'NotImplemented',
  });
}

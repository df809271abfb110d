import { SkeinError } from './base';

/** Base for failures of `serverless package` / `deploy` / `remove` / `info` with the Skein plugin. */
export class DeployError extends SkeinError {}

/**
 * A deployment setting (a `serverless.yml` value or a command-line option) is missing or malformed. Raised while the
 * plan is built, so nothing has been sent to Google Cloud yet.
 */
export class InvalidDeploySetting extends DeployError {
  /** Where the setting lives, e.g. `provider.project`, `functions.csvStats.timeout` or `custom.skein.outputBucket`. */
  readonly setting: string;
  /** The value that was refused (`undefined` when it was missing). */
  readonly value: unknown;

  /**
   * @param setting - Where the setting lives.
   * @param value - The refused value.
   * @param message - What is wrong and how to fix it.
   * @param options - `cause`: a lower-level error (such as an invalid SRUID).
   */
  constructor(setting: string, value: unknown, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.setting = setting;
    this.value = value;
  }
}

/** The Google Cloud project is missing or is not a valid project id (so no request ever names `projects/undefined`). */
export class InvalidDeployProject extends InvalidDeploySetting {}

/** The Google Cloud region is missing or is not a region name such as `europe-west1`. */
export class InvalidDeployRegion extends InvalidDeploySetting {}

/** A file the deployment needs is missing or unreadable: the build output, a twine, the package or its plan. */
export class DeploySourceError extends DeployError {
  /** The file or directory concerned. */
  readonly path: string;

  /**
   * @param path - The file or directory concerned.
   * @param message - What is wrong and how to fix it.
   * @param options - `cause`: the file system's or parser's error.
   */
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
  }
}

/** Context of a failed deployment request. */
export interface DeployRequestContext {
  /** The API, e.g. `cloudfunctions`, `pubsub`, `storage` or `upload`. */
  readonly api: string;
  /** The request, e.g. `CreateFunction`. */
  readonly operation: string;
  /** The resource the request was about, e.g. `projects/p/locations/r/functions/f`. */
  readonly resource: string;
  /** The HTTP status or gRPC code the service answered with, when known. */
  readonly status?: number | string;
  /** The client's error. */
  readonly cause?: unknown;
}

/** A request to Google Cloud (or the signed source upload) failed; the client's error is the `cause`. */
export class DeployRequestFailed extends DeployError {
  /** The API, e.g. `cloudfunctions`. */
  readonly api: string;
  /** The request, e.g. `CreateFunction`. */
  readonly operation: string;
  /** The resource concerned. */
  readonly resource: string;
  /** The HTTP status or gRPC code, when known. */
  readonly status: number | string | undefined;

  /**
   * @param message - What failed and, where it helps, what to do.
   * @param context - The API, request, resource, status and cause.
   */
  constructor(message: string, context: DeployRequestContext) {
    super(message, { cause: context.cause });
    this.api = context.api;
    this.operation = context.operation;
    this.resource = context.resource;
    this.status = context.status;
  }
}

/**
 * A resource the deployment would manage already exists in a shape it cannot update in place, e.g. a subscription of
 * the same name on another topic or with another filter (filters are immutable), or a 1st-gen function of the same name.
 */
export class DeployResourceConflict extends DeployError {
  /** The resource concerned. */
  readonly resource: string;

  /**
   * @param resource - The resource concerned.
   * @param message - What differs and what to do.
   */
  constructor(resource: string, message: string) {
    super(message);
    this.resource = resource;
  }
}

import { SkeinError, SkeinValidationError } from './base';
import type { ValidationFailure } from './base';

/**
 * The service configuration (`octue.yaml`, environment variables or options passed in code) is unusable: bad YAML, no
 * `services` list, a missing required option or a value its validator refuses. `failures` point at each bad option:
 * `/services/0/<file key>` for the file, `/env/<VARIABLE>` for the environment, `/overrides/<option>` for code.
 */
export class InvalidServiceConfiguration extends SkeinValidationError {
  /** The configuration file concerned, when there was one. */
  readonly path: string | undefined;

  /**
   * @param message - Summary; the failures are appended one per line.
   * @param context - The file, the failures and the cause (such as the YAML parser's error).
   */
  constructor(
    message: string,
    context: { path?: string; failures?: readonly ValidationFailure[]; cause?: unknown } = {},
  ) {
    super(message, { failures: context.failures, cause: context.cause, strand: 'service_configuration' });
    this.path = context.path;
  }
}

/** The service configuration file does not exist or cannot be read. */
export class ServiceConfigurationNotFound extends SkeinError {
  /** The path that was looked for. */
  readonly path: string;

  /**
   * @param path - The path that was looked for.
   * @param cause - The file system's error.
   */
  constructor(path: string, cause?: unknown) {
    super(
      `No service configuration file was found at '${path}'. Create an octue.yaml there, point ` +
        'OCTUE_SERVICE_CONFIGURATION_PATH at one, or pass the configuration in code.',
      { cause },
    );
    this.path = path;
  }
}

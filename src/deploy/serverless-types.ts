/**
 * The few parts of Serverless Framework v3's plugin API that the Skein plugin uses, typed structurally (the
 * `serverless` package ships no types, and Skein depends on it only as a development tool).
 */

/** `serverless.service`. */
export interface ServerlessService {
  /** `service:`. */
  readonly service: string;
  /** `provider:` after variable resolution. */
  readonly provider: Record<string, unknown>;
  /** `functions:` after variable resolution (Serverless adds `name` and `events` to each). */
  readonly functions: Record<string, unknown>;
  /** `custom:`. */
  readonly custom?: Record<string, unknown>;
  /** `package:`; the plugin sets `artifact` so Serverless's own zipping is skipped. */
  readonly package: { artifact?: string; path?: string };
}

/** The `serverless` object a plugin is constructed with. */
export interface ServerlessInstance {
  /** The directory of serverless.yml. */
  readonly serviceDir: string;
  /** The resolved configuration. */
  readonly service: ServerlessService;
  /** Registers a provider plugin. */
  setProvider(name: string, provider: unknown): void;
  /** Extends the configuration schema that `configValidationMode` checks. */
  readonly configSchemaHandler: {
    defineProvider(name: string, schema: { provider?: object; function?: object; definitions?: object }): void;
  };
  /** Serverless's classes; `Error` is the user-error class it prints without a stack trace. */
  readonly classes: { readonly Error: new (message: string, code?: string) => Error };
}

/** Command-line options (`--stage`, `--region`, `--project`, `--package`, …). */
export type ServerlessOptions = Readonly<Record<string, unknown>>;

/** The writers Serverless hands an external plugin. */
export interface ServerlessPluginUtils {
  /** Progress and notices (stderr); `log.info` only shows with `--verbose`. */
  readonly log: ((text: string) => void) & { readonly info?: (text: string) => void };
  /** Command output (stdout). */
  readonly writeText: (text: string | readonly string[]) => void;
}

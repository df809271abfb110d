import { pathValue, positiveNumberValue, stringValue } from '../core/config';
import type { ConfigurationEnvironment, OptionParser } from '../core/config';
import { InvalidServiceConfiguration } from '../errors';

/** The Skein Hub's settings. Every one is declared once, in {@link HUB_OPTIONS}. */
export interface HubOptions {
  /** A PostgreSQL connection string; `undefined` runs the embedded PGlite database. */
  readonly databaseUrl: string | undefined;
  /** Where the embedded database keeps its files; `undefined` keeps it in memory. Not used with `databaseUrl`. */
  readonly dataDir: string | undefined;
  /** The largest request body the REST API reads, in bytes; larger bodies get 413. */
  readonly maxBodyBytes: number;
  /**
   * The largest Pub/Sub push body the ingestion endpoint reads, in bytes. An event may be up to Pub/Sub's 10 MB,
   * and a push carries it in base64, so the default (16 MiB) takes any event Pub/Sub can carry: a smaller bound would
   * refuse such a delivery, and Pub/Sub would retry it for ever.
   */
  readonly maxPushBodyBytes: number;
  /** How many connections the store opens to a PostgreSQL server at most. */
  readonly poolSize: number;
}

/** How one Hub option is given: its environment variable, default and parser. */
export interface HubOptionSpec<T> {
  /** The environment variable that sets it (a value passed in code wins). */
  readonly envVar: string;
  /** The value when none is given. */
  readonly defaultValue: T;
  /** Turns a raw value into the option's value, or explains why it cannot. */
  readonly parse: OptionParser<Exclude<T, undefined>>;
  /** What the option is for. */
  readonly summary: string;
}

const integerValue: OptionParser<number> = (raw, context) => {
  const parsed = positiveNumberValue(raw, context);
  if (!parsed.ok || Number.isInteger(parsed.value)) return parsed;
  return { ok: false, problem: `must be a whole number; received ${parsed.value}` };
};

/** Every Hub option, exactly once each. Precedence: a value passed in code, then the environment, then the default. */
export const HUB_OPTIONS: { readonly [K in keyof HubOptions]-?: HubOptionSpec<HubOptions[K]> } = {
  databaseUrl: {
    envVar: 'DATABASE_URL',
    defaultValue: undefined,
    parse: stringValue,
    summary: 'the PostgreSQL server to store the Hub in (postgres://…); the embedded database when unset',
  },
  dataDir: {
    envVar: 'SKEIN_HUB_DATA_DIR',
    defaultValue: undefined,
    parse: pathValue,
    summary: "the embedded database's directory; in memory when unset",
  },
  maxBodyBytes: {
    envVar: 'SKEIN_HUB_MAX_BODY_BYTES',
    defaultValue: 1024 * 1024,
    parse: integerValue,
    summary: 'the largest request body the REST API accepts, in bytes',
  },
  maxPushBodyBytes: {
    envVar: 'SKEIN_HUB_MAX_PUSH_BODY_BYTES',
    defaultValue: 16 * 1024 * 1024,
    parse: integerValue,
    summary: 'the largest Pub/Sub push body the ingestion endpoint accepts, in bytes',
  },
  poolSize: {
    envVar: 'SKEIN_HUB_POOL_SIZE',
    defaultValue: 10,
    parse: integerValue,
    summary: 'the most connections opened to a PostgreSQL server',
  },
};

/**
 * Resolves the Hub's options from values passed in code and the environment.
 * @param params - `overrides` (values from code or CLI flags), `env` (default: none) and `cwd` (anchors a relative
 *   data directory; default `process.cwd()`).
 * @returns The options.
 * @throws InvalidServiceConfiguration when a value is malformed, or both a database URL and a data directory are
 *   given.
 */
export function resolveHubOptions(
  params: {
    readonly overrides?: Partial<HubOptions>;
    readonly env?: ConfigurationEnvironment;
    readonly cwd?: string;
  } = {},
): HubOptions {
  const { overrides = {}, env = {}, cwd = process.cwd() } = params;
  const resolved: Record<string, unknown> = {};
  for (const key of Object.keys(HUB_OPTIONS) as (keyof HubOptions)[]) {
    const spec = HUB_OPTIONS[key] as HubOptionSpec<unknown>;
    const fromCode = overrides[key];
    const fromEnv = env[spec.envVar];
    const raw = fromCode ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
    if (raw === undefined) {
      resolved[key] = spec.defaultValue;
      continue;
    }
    const parsed = spec.parse(raw, { origin: fromCode === undefined ? 'env' : 'code', directory: cwd });
    if (!parsed.ok) {
      const source = fromCode === undefined ? `${spec.envVar}` : key;
      throw new InvalidServiceConfiguration(`The Hub option ${source} (${spec.summary}) ${parsed.problem}.`);
    }
    resolved[key] = parsed.value;
  }
  const options = resolved as unknown as HubOptions;
  if (options.databaseUrl !== undefined && options.dataDir !== undefined) {
    throw new InvalidServiceConfiguration(
      'The Hub was given both a database URL and a data directory: the data directory is only for the embedded ' +
        'database, so give one or the other.',
    );
  }
  return options;
}

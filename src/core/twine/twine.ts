import { StrandNotFound, TwineTypeException, TwineValueException, UnknownStrand } from '../../errors';
import { validateChildrenData } from './children';
import { readCredentials } from './credentials';
import { loadTwine } from './load-twine';
import { validateManifestData } from './manifests';
import { registerTwineSchemas } from './schemas';
import { readJsonFile } from './sources';
import type { JsonSource } from './sources';
import {
  MANIFEST_STRANDS,
  STRAND_ARGUMENTS,
  STRAND_NAMES,
  isManifestStrand,
  isStrandName,
  isValuesStrand,
  twineKeyOf,
} from './strands';
import type { ManifestStrand, StrandArgument, StrandName, ValuesStrand } from './strands';
import type { ChildRecord, Environment, TwineStrands } from './types';
import { validateValuesData } from './values';
import type { ValuesOptions } from './values';

/** Options for loading a twine. */
export interface TwineOptions {
  /**
   * When given, a twine whose `twined_version` differs is rejected with TwineVersionConflict. Skein does not check
   * by default: `twined_version` names an Octue version, which Skein is not.
   */
  readonly twinedVersion?: string;
}

/** The data to validate, by strand; each key that is present is checked (see {@link Twine.validate}). */
export interface StrandSources {
  readonly configurationValues?: JsonSource;
  readonly configurationManifest?: JsonSource;
  readonly inputValues?: JsonSource;
  readonly inputManifest?: JsonSource;
  readonly outputValues?: JsonSource;
  readonly outputManifest?: JsonSource;
  /** A monitor message (the value itself, never a JSON string or path). */
  readonly monitorMessage?: unknown;
  /** The environment to read the twine's credentials from, e.g. `process.env`. */
  readonly credentials?: Environment | null;
  readonly children?: JsonSource;
}

/** What {@link Twine.validate} returns: for each key given, the validated data (`undefined` for a `null` source). */
export interface ValidatedStrands {
  readonly configurationValues?: unknown;
  readonly configurationManifest?: unknown;
  readonly inputValues?: unknown;
  readonly inputManifest?: unknown;
  readonly outputValues?: unknown;
  readonly outputManifest?: unknown;
  readonly monitorMessage?: unknown;
  /** Each credential's value by name. */
  readonly credentials?: Record<string, string>;
  readonly children?: ChildRecord[];
}

function unknownStrand(name: unknown): UnknownStrand {
  return new UnknownStrand(`Unknown strand ${JSON.stringify(name)}: use one of ${STRAND_NAMES.join(', ')}.`);
}

/**
 * A service's twine: the strands that say what values, manifests, credentials and children the service takes and
 * produces, loaded and checked against the twine meta-schema. It validates data for each strand as Octue does.
 */
export class Twine {
  /** The twine's JSON, deep-frozen. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The strands, by their `twine.json` keys (`input_values_schema`, `input_manifest`, …). */
  readonly strands: TwineStrands;
  /** The strands present, by strand name (`input_values`, …). */
  readonly availableStrands: ReadonlySet<StrandName>;
  /** The strands that must be given data: object strands without `"optional": true` (list strands never are). */
  readonly requiredStrands: ReadonlySet<StrandName>;

  /**
   * @param source - The twine: an object, a JSON string or a `.json` path. Leaving it out gives an empty twine.
   * @param options - See {@link TwineOptions}.
   * @throws TwineFileNotFound, InvalidTwineJson, InvalidTwineContents (with the failing pointers), TwineTypeException
   *   or TwineVersionConflict.
   */
  constructor(source: JsonSource = {}, options: TwineOptions = {}) {
    registerTwineSchemas();
    this.raw = loadTwine(source, options.twinedVersion);
    this.strands = this.raw as TwineStrands;
    const available = STRAND_NAMES.filter((strand) => this.raw[twineKeyOf(strand)] !== undefined);
    this.availableStrands = new Set(available);
    this.requiredStrands = new Set(
      available.filter((strand) => {
        const content = this.raw[twineKeyOf(strand)];
        return !Array.isArray(content) && (content as { optional?: unknown }).optional !== true;
      }),
    );
  }

  /**
   * Loads a twine from a file, whatever its name.
   * @param path - The file's path.
   * @param options - See {@link TwineOptions}.
   * @returns The twine.
   * @throws TwineFileNotFound (with `path`) when the file does not exist or cannot be read, and the errors of the
   *   constructor.
   */
  static fromFile(path: string, options?: TwineOptions): Twine {
    return new Twine(readJsonFile(path, 'twine'), options);
  }

  /** The manifest strands present. */
  get availableManifestStrands(): ReadonlySet<ManifestStrand> {
    return new Set(MANIFEST_STRANDS.filter((strand) => this.availableStrands.has(strand)));
  }

  /**
   * A strand's content in the twine.
   * @param strand - The strand name, e.g. `input_values` (gives the `input_values_schema` entry).
   * @returns The strand's JSON, or `undefined` when the twine does not have it.
   * @throws UnknownStrand when `strand` is not a strand name.
   */
  get(strand: StrandName): unknown {
    if (!isStrandName(strand)) {
      throw unknownStrand(strand);
    }
    return this.raw[twineKeyOf(strand)];
  }

  /**
   * Validates data for several strands at once, in the order configuration, input, output, monitor message,
   * credentials, children, and stops at the first failure. For each key present in `sources`: data for a strand the
   * twine lacks is refused; `null`/`undefined` for a required strand is refused; otherwise the data is validated.
   * Keys left out are not checked.
   * @param sources - The data, by camelCase strand name.
   * @param options - Whether values get their defaults filled in (default `true`, into copies).
   * @returns The validated data for each key given (values with defaults, manifests as given or loaded, credentials
   *   by name, children as loaded); `undefined` for keys given as `null`/`undefined`.
   * @throws UnknownStrand for an unknown key, StrandNotFound, TwineValueException, and the errors of each strand's
   *   validation method.
   */
  validate(sources: StrandSources, options?: ValuesOptions): ValidatedStrands {
    for (const key of Object.keys(sources)) {
      if (!Object.prototype.hasOwnProperty.call(STRAND_ARGUMENTS, key)) {
        throw unknownStrand(key);
      }
    }
    const validated: Record<string, unknown> = {};
    for (const [key, strand] of Object.entries(STRAND_ARGUMENTS) as [StrandArgument, StrandName][]) {
      if (!Object.prototype.hasOwnProperty.call(sources, key)) {
        continue;
      }
      const source = sources[key];
      if (source !== undefined && source !== null && !this.availableStrands.has(strand)) {
        throw new StrandNotFound(`Data was given for the ${strand} strand but the twine has no such strand.`, {
          strand,
        });
      }
      if ((source === undefined || source === null) && this.requiredStrands.has(strand)) {
        throw new TwineValueException(`The twine requires the ${strand} strand but no data was given for it.`, {
          strand,
        });
      }
      validated[key] =
        source === undefined || source === null ? undefined : this.validateStrand(strand, source, options);
    }
    return validated as ValidatedStrands;
  }

  /**
   * Validates data for one strand with the matching method below.
   * @param strand - The strand name.
   * @param source - The data (for `credentials`, the environment to read).
   * @param options - Whether values get their defaults filled in.
   * @returns The validated data.
   * @throws UnknownStrand for an unknown strand name, and the errors of the strand's validation method.
   */
  validateStrand(strand: StrandName, source: unknown, options?: ValuesOptions): unknown {
    if (isValuesStrand(strand)) {
      return this.validateValues(strand, source, options);
    }
    if (isManifestStrand(strand)) {
      return this.validateManifest(strand, source);
    }
    if (strand === 'credentials') {
      if (typeof source !== 'object' || source === null) {
        throw new TwineTypeException('Credentials are read from an environment object such as process.env.', {
          strand,
        });
      }
      return this.validateCredentials(source as Environment);
    }
    if (strand === 'children') {
      return this.validateChildren(source);
    }
    throw unknownStrand(strand);
  }

  /**
   * Validates values against the strand's schema.
   * @param kind - The values strand, e.g. `input_values`.
   * @param source - The values: any JSON value, a JSON string or a `.json` path.
   * @param options - Whether to fill in defaults (default `true`, into a copy).
   * @returns The values, with defaults filled in when asked.
   * @throws UnknownStrand, StrandNotFound, InvalidValuesJson, TwineFileNotFound, TwineTypeException,
   *   InvalidValuesContents (InvalidMonitorMessage for `monitor_message`) with every failing pointer.
   */
  validateValues(kind: ValuesStrand, source: unknown, options?: ValuesOptions): unknown {
    if (!isValuesStrand(kind)) {
      throw unknownStrand(kind);
    }
    const schema = this.strands[`${kind}_schema`];
    if (schema === undefined) {
      throw new StrandNotFound(`Cannot validate the ${kind}: the twine has no ${kind}_schema strand.`, {
        strand: kind,
      });
    }
    return validateValuesData(kind, schema, source, options);
  }

  /**
   * Validates a monitor message against the twine's `monitor_message_schema`.
   * @param data - The monitor message.
   * @param options - Whether to fill in defaults (default `true`, into a copy).
   * @returns The monitor message, with defaults filled in when asked.
   * @throws StrandNotFound when the twine has no monitor_message_schema; InvalidMonitorMessage when it is not met.
   */
  validateMonitorMessage(data: unknown, options?: ValuesOptions): unknown {
    return this.validateValues('monitor_message', data, options);
  }

  /**
   * Validates a manifest: its shape, the datasets the twine expects, and (configuration and input manifests) the
   * tags of each file against its dataset's `file_tags_template`.
   * @param kind - The manifest strand, e.g. `input_manifest`.
   * @param source - A manifest instance (anything with `toPrimitive()`), manifest data, a JSON string or a `.json`
   *   path.
   * @returns The manifest instance itself, or the loaded manifest data.
   * @throws UnknownStrand, StrandNotFound, InvalidManifestJson, TwineFileNotFound, InvalidManifestContents.
   */
  validateManifest(kind: ManifestStrand, source: unknown): unknown {
    if (!isManifestStrand(kind)) {
      throw unknownStrand(kind);
    }
    const spec = this.strands[kind];
    if (spec === undefined) {
      throw new StrandNotFound(`Cannot validate the ${kind}: the twine has no ${kind} strand.`, { strand: kind });
    }
    return validateManifestData(kind, spec, source);
  }

  /**
   * Reads the twine's credentials from an environment.
   * @param env - The environment (default `process.env`).
   * @returns Each credential's value by name; empty when the twine lists none.
   * @throws CredentialNotFound naming the missing credentials.
   */
  validateCredentials(env: Environment = process.env): Record<string, string> {
    return readCredentials(this.strands.credentials, env);
  }

  /**
   * Validates the children given to the service against the children schema and the twine's children keys.
   * @param source - The children: an array, a JSON string or a `.json` path.
   * @returns The children.
   * @throws InvalidValuesJson, TwineFileNotFound, InvalidValuesContents (strand `children`).
   */
  validateChildren(source: unknown): ChildRecord[] {
    return validateChildrenData(this.strands.children, source);
  }
}

import { InvalidInputException } from '../errors';
import type { Logger } from '../service';
import { addLaplaceNoise } from './noise';
import type { LocalDpParams, UniformSource } from './noise';

/** How a final result is written: `str` (text), `bytes` (a Buffer or Uint8Array) or `json`. */
export type OutputType = 'str' | 'bytes' | 'json';

/** The extensions each output type is expected to have (FLAME's, with `json` for its `pickle`). */
export const OUTPUT_TYPE_EXTENSIONS: Readonly<Record<OutputType, readonly string[]>> = {
  str: ['.txt', '.csv', '.tsv', '.json', '.xml', '.yaml', '.yml'],
  bytes: ['.bin', '.gz', '.zip', '.png'],
  json: ['.json'],
};

/** Options of `submitFinalResult` (FLAME's, in camelCase). */
export interface SubmitFinalResultOptions {
  /** The output type, or one per result with `multipleResults`; default `str`. `pickle` is refused. */
  readonly outputType?: OutputType | readonly OutputType[];
  /** Submit each element of an array as its own result. */
  readonly multipleResults?: boolean;
  /** A name, or one per result; a single name for several results is indexed `name_1.ext`, `name_2.ext`, …. */
  readonly filename?: string | readonly string[];
  /** Add Laplace noise to one finite number and store only the noisy value. */
  readonly localDp?: LocalDpParams;
}

/** One result to write. */
export interface FinalResultFile {
  readonly name: string;
  readonly contents: Buffer;
  readonly contentType: string;
}

/** What {@link prepareFinalResults} needs besides the result. */
export interface PrepareParams {
  readonly uniform: UniformSource;
  readonly now: Date;
  readonly newUuid: () => string;
  readonly logger: Logger | undefined;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

function checkType(type: unknown): OutputType {
  if (type === 'pickle') {
    throw new InvalidInputException(
      "The output type 'pickle' has no meaning outside Python: submit the result as 'json' or 'bytes'.",
    );
  }
  if (type !== 'str' && type !== 'bytes' && type !== 'json') {
    throw new InvalidInputException(`Invalid output type '${String(type)}' (allowed: str, bytes, json).`);
  }
  return type;
}

// FLAME's reductions: a list whose elements are all equal stands for that element; lists longer than the results
// are cut (with a warning), shorter ones refused; a list for a single result gives its first element (with a warning).
function perResult<T>(value: T | readonly T[] | undefined, count: number, what: string, warn: (m: string) => void) {
  if (!Array.isArray(value)) return Array.from({ length: count }, () => value as T | undefined);
  const list = value as readonly T[];
  if (new Set(list).size === 1) return Array.from({ length: count }, () => list[0]);
  if (count === 1) {
    warn(`A ${what} list was given for a single result: its first element is used.`);
    return [list[0]];
  }
  if (list.length < count) {
    throw new InvalidInputException(`The ${what} list has ${list.length} elements, fewer than the ${count} results.`);
  }
  if (list.length > count) warn(`The ${what} list is longer than the ${count} results: the first ${count} are used.`);
  return list.slice(0, count);
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? name : name.slice(0, dot);
}

function encode(result: unknown, type: OutputType): { contents: Buffer; contentType: string } {
  if (type === 'bytes') {
    if (!(result instanceof Uint8Array)) throw new InvalidInputException("A 'bytes' result must be a Buffer.");
    return { contents: Buffer.from(result), contentType: 'application/octet-stream' };
  }
  if (type === 'str') {
    const text =
      typeof result === 'string' ? result : typeof result === 'object' ? JSON.stringify(result) : String(result);
    return { contents: Buffer.from(text, 'utf8'), contentType: 'text/plain; charset=utf-8' };
  }
  const text = JSON.stringify(result);
  if (text === undefined) throw new InvalidInputException('The result cannot be written as JSON.');
  return { contents: Buffer.from(text, 'utf8'), contentType: 'application/json' };
}

function defaultName(type: OutputType, params: PrepareParams): string {
  const stamp = params.now.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return `result_${params.newUuid().slice(-4)}_${stamp}${OUTPUT_TYPE_EXTENSIONS[type][0]}`;
}

/**
 * Turns a submission into the files to write, with FLAME's rules for multiple results, output types, file names and
 * local differential privacy.
 * @param result - The result, or an array of results with `multipleResults`.
 * @param options - The submission's options.
 * @param params - Noise source, time, UUIDs and logger.
 * @returns The files, one per result.
 * @throws InvalidInputException for `pickle` or another unknown type, lists shorter than the results, unsafe file
 *   names, a `bytes` result that is not a Buffer, or `localDp` on anything but one finite number.
 */
export function prepareFinalResults(
  result: unknown,
  options: SubmitFinalResultOptions,
  params: PrepareParams,
): { files: FinalResultFile[]; multiple: boolean } {
  const warn = (message: string): void => params.logger?.warning(message);
  const count = options.multipleResults === true && Array.isArray(result) ? result.length : 1;
  const multiple = count !== 1;
  if (options.multipleResults === true && !Array.isArray(result)) {
    warn('multipleResults was given but the result is not an array: it is submitted as one result.');
  }
  const types = perResult(options.outputType ?? 'str', count, 'output type', warn).map((type) =>
    checkType(type ?? 'str'),
  );
  const names = Array.isArray(options.filename)
    ? perResult(options.filename as readonly string[], count, 'file name', warn)
    : types.map((type, index) => {
        const name = options.filename as string | undefined;
        if (name === undefined || !multiple) return name;
        const extension = OUTPUT_TYPE_EXTENSIONS[type].includes(extensionOf(name))
          ? extensionOf(name)
          : (OUTPUT_TYPE_EXTENSIONS[type][0] as string);
        return `${stemOf(name)}_${index + 1}${extension}`;
      });
  const results = multiple ? (result as unknown[]) : [result];
  const files = results.map((item, index) => {
    let type = types[index] as OutputType;
    let value = item;
    if (options.localDp !== undefined) {
      if (type !== 'str') warn(`Local differential privacy writes the noisy value as 'str', not '${type}'.`);
      type = 'str';
      value = addLaplaceNoise(item, options.localDp, params.uniform);
    }
    const name = names[index] ?? defaultName(type, params);
    if (!NAME_PATTERN.test(name) || name.includes('..')) {
      throw new InvalidInputException(`'${name}' is not a plain file name (letters, digits, '.', '_', '-').`);
    }
    const extension = extensionOf(name);
    if (extension !== '' && !OUTPUT_TYPE_EXTENSIONS[type].includes(extension)) {
      warn(`The extension '${extension}' is not one expected for '${type}' results: the file may be unreadable.`);
    }
    return Object.assign({ name }, encode(value, type));
  });
  return { files, multiple };
}

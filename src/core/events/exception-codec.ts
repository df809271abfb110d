import * as errorTree from '../../errors';
import { RemoteException, SkeinError } from '../../errors';
import type { RemoteExceptionContext } from '../../errors';
import { formatTraceback } from './traceback';
import type { ExceptionEvent } from './types';

/**
 * The one place errors become `exception` events and `exception` events become errors again.
 *
 * Python peers re-raise a child's error by its type name (`exception_type`), so Skein sends Python-style names:
 *
 * | thrown here                                   | `exception_type`                                  |
 * |-----------------------------------------------|---------------------------------------------------|
 * | a Skein error (e.g. `InvalidValuesContents`)  | its class name (Octue's names where Octue has one) |
 * | `QuestionTimeout`                             | `TimeoutError` (its `wireName`)                    |
 * | `TypeError`                                   | `TypeError`                                       |
 * | `RangeError`, `SyntaxError`, `URIError`       | `ValueError` (bad values; `JSON.parse` failures match Python's `JSONDecodeError`, a `ValueError`) |
 * | `ReferenceError`                              | `NameError`                                       |
 * | `EvalError`                                   | `RuntimeError`                                    |
 * | `Error`, `AggregateError`, non-Error values   | `Exception`                                       |
 * | Node system errors (`code`)                   | `ENOENT` → `FileNotFoundError`, `EEXIST` → `FileExistsError`, `EACCES`/`EPERM` → `PermissionError`, `EISDIR` → `IsADirectoryError`, `ENOTDIR` → `NotADirectoryError`, `ETIMEDOUT` → `TimeoutError`, `ECONNREFUSED` → `ConnectionRefusedError`, `ECONNRESET` → `ConnectionResetError`, `EPIPE` → `BrokenPipeError` |
 * | any other error (user classes, `DOMException`s) | its `name` (or class name when `name` is inherited) |
 *
 * Receiving: a Skein error class with that wire name is re-created (`TimeoutError` → `QuestionTimeout`); a JS
 * built-in with exactly that name (`TypeError`, `RangeError`, `SyntaxError`, `ReferenceError`, `EvalError`,
 * `URIError`, `Error`) is re-created as the built-in; any other name (`ValueError`, `KeyError`, `Exception`, a custom
 * class) becomes a subclass of {@link RemoteException} with that name, one class per name, so `error.name` is the
 * remote type and `instanceof` works.
 */

const BUILTIN_TO_PYTHON: Readonly<Record<string, string>> = {
  Error: 'Exception',
  TypeError: 'TypeError',
  RangeError: 'ValueError',
  SyntaxError: 'ValueError',
  URIError: 'ValueError',
  ReferenceError: 'NameError',
  EvalError: 'RuntimeError',
  AggregateError: 'Exception',
};

const SYSTEM_CODE_TO_PYTHON: Readonly<Record<string, string>> = {
  ENOENT: 'FileNotFoundError',
  EEXIST: 'FileExistsError',
  EACCES: 'PermissionError',
  EPERM: 'PermissionError',
  EISDIR: 'IsADirectoryError',
  ENOTDIR: 'NotADirectoryError',
  ETIMEDOUT: 'TimeoutError',
  ECONNREFUSED: 'ConnectionRefusedError',
  ECONNRESET: 'ConnectionResetError',
  EPIPE: 'BrokenPipeError',
};

const JS_BUILTINS: Readonly<Record<string, new (message?: string) => Error>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

type SkeinErrorClass = (new (message: string) => SkeinError) & { readonly wireName?: string };

let skeinClasses: ReadonlyMap<string, SkeinErrorClass> | undefined;

// Every exported leaf of the error tree, by wire name; built on first use so leaves added later are included.
function skeinClassesByWireName(): ReadonlyMap<string, SkeinErrorClass> {
  if (skeinClasses === undefined) {
    const found = new Map<string, SkeinErrorClass>();
    for (const value of Object.values(errorTree)) {
      if (typeof value === 'function' && (value === SkeinError || value.prototype instanceof SkeinError)) {
        const cls = value as unknown as SkeinErrorClass;
        found.set(cls.wireName ?? cls.name, cls);
      }
    }
    skeinClasses = found;
  }
  return skeinClasses;
}

// Errors from another realm (a vm context, a worker, `DOMException` under some runtimes) fail `instanceof Error`,
// so anything with a string name and message counts as an error.
function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) {
    return true;
  }
  const candidate = value as { name?: unknown; message?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.message === 'string'
  );
}

function typeNameOf(error: Error): string {
  const name = typeof error.name === 'string' && error.name !== '' ? error.name : 'Error';
  const className = (error.constructor as { name?: unknown } | undefined)?.name;
  // A user class that does not set `name` inherits its base's (`Error`, `TypeError`, …): use the class name then.
  if (name in JS_BUILTINS && typeof className === 'string' && className !== name && !(className in JS_BUILTINS)) {
    return IDENTIFIER.test(className) ? className : name;
  }
  return name;
}

/**
 * The Python-style type name an error is sent under (see the table in this module's summary).
 * @param error - Any thrown value.
 * @returns e.g. `ValueError`, `TimeoutError`, `InvalidValuesContents`.
 */
export function pythonTypeName(error: unknown): string {
  if (!isErrorLike(error)) {
    return 'Exception';
  }
  if (error instanceof SkeinError) {
    return (error.constructor as { wireName?: string }).wireName ?? error.name;
  }
  const code = (error as { code?: unknown }).code;
  const name = typeNameOf(error);
  if (typeof code === 'string' && code in SYSTEM_CODE_TO_PYTHON && (name === 'Error' || name === 'SystemError')) {
    return SYSTEM_CODE_TO_PYTHON[code] ?? 'Exception';
  }
  return BUILTIN_TO_PYTHON[name] ?? (IDENTIFIER.test(name) ? name : 'Exception');
}

function messageOf(error: unknown): string {
  return isErrorLike(error) ? error.message : String(error);
}

/**
 * Turns an error into the `exception` event a child sends, as Octue's `send_exception` does.
 * @param error - Any thrown value.
 * @param serviceId - The SRUID of the service that failed.
 * @returns `{kind: 'exception', exception_type, exception_message: "Error in <Service('<sruid>')>: <message>",
 *   exception_traceback}` with the stack in Python's `format_list` form.
 */
export function errorToExceptionEvent(error: unknown, serviceId: string): ExceptionEvent {
  return {
    kind: 'exception',
    exception_type: pythonTypeName(error),
    exception_message: `Error in <Service('${serviceId}')>: ${messageOf(error)}`,
    exception_traceback: formatTraceback(error),
  };
}

const remoteClasses = new Map<string, typeof RemoteException>();

/**
 * The {@link RemoteException} subclass for a remote type name; the same class every time for the same name.
 * @param name - The remote type name, e.g. `ValueError`.
 * @returns A class whose instances have `name === name`.
 */
export function remoteExceptionClass(name: string): typeof RemoteException {
  let cls = remoteClasses.get(name);
  if (cls === undefined) {
    cls = class extends RemoteException {};
    Object.defineProperty(cls, 'name', { value: name });
    remoteClasses.set(name, cls);
  }
  return cls;
}

// An instance of `cls` carrying exactly `message`, made without its constructor: for leaves whose constructor builds
// the message from typed arguments (e.g. MessageTooLarge(sizeBytes, limitBytes)), which a remote message cannot fill.
function bareInstance(cls: ErrorClass, message: string): Error {
  const error = Object.create(cls.prototype) as Error;
  Object.defineProperty(error, 'message', { value: message, writable: true, configurable: true });
  Object.defineProperty(error, 'name', { value: cls.name, writable: true, configurable: true });
  Error.captureStackTrace(error, bareInstance);
  return error;
}

function construct(cls: ErrorClass, message: string, context: RemoteExceptionContext): Error | undefined {
  try {
    // Only remote-exception classes take the remote context; other leaves get just the message.
    if (cls === RemoteException || cls.prototype instanceof RemoteException) {
      return new (cls as unknown as typeof RemoteException)(message, context);
    }
    const made = new cls(message);
    return made.message === message ? made : bareInstance(cls, message);
  } catch {
    // A leaf whose constructor refuses a lone message is still re-created as its class, with the remote message.
    return typeof cls === 'function' && typeof cls.prototype === 'object' ? bareInstance(cls, message) : undefined;
  }
}

/** A class an `exception` event can be re-created as: built from a message alone. */
export type ErrorClass = (new (message: string) => Error) & { readonly wireName?: string };

/** Options for {@link exceptionEventToError}. */
export interface ExceptionDecodingOptions {
  /**
   * Further classes to re-create by name (their `wireName`, else their class name), e.g. an app's own errors when
   * both sides are Skein services. They take precedence over Skein's classes and the JS built-ins.
   */
  readonly errorClasses?: readonly ErrorClass[];
}

/**
 * Re-creates the error a remote service reported, as Octue's parent re-raises it: the same class when one is known
 * (see the module summary), otherwise a {@link RemoteException} subclass named after the remote type. A known class
 * whose constructor cannot make an error from the message alone is re-created as that class without its constructor
 * (its typed context fields are then absent), so `instanceof` still holds and the message is the remote one.
 * @param event - The received `exception` event.
 * @param sender - The SRUID of the service that sent it.
 * @param options - Extra classes to re-create by name.
 * @returns The error, with message `"<exception_message>\n\nThe following traceback was captured from the remote
 *   service '<sender>':\n\n<joined traceback>"`.
 */
export function exceptionEventToError(
  event: ExceptionEvent,
  sender: string,
  options: ExceptionDecodingOptions = {},
): Error {
  const message = [
    event.exception_message,
    `The following traceback was captured from the remote service '${sender}':`,
    event.exception_traceback.join(''),
  ].join('\n\n');
  const type = event.exception_type;
  const context = { exceptionType: type, sender, remoteTraceback: event.exception_traceback };
  const extra = options.errorClasses?.find((cls) => (cls.wireName ?? cls.name) === type);
  const knownClass = extra ?? skeinClassesByWireName().get(type);
  const known = knownClass === undefined ? undefined : construct(knownClass, message, context);
  if (known !== undefined) {
    return known;
  }
  const builtin = Object.prototype.hasOwnProperty.call(JS_BUILTINS, type) ? JS_BUILTINS[type] : undefined;
  if (builtin !== undefined) {
    return new builtin(message);
  }
  const Remote = remoteExceptionClass(type);
  return new Remote(message, context);
}

/**
 * Formats an error as Python's `logging.Formatter.formatException` would (the `exc_text` of a log record):
 * `Traceback (most recent call last):`, the frames, then `<Type>: <message>`.
 * @param error - Any thrown value.
 * @returns The text, without a trailing newline.
 */
export function formatExceptionText(error: unknown): string {
  const frames = formatTraceback(error);
  const last = `${pythonTypeName(error)}: ${messageOf(error)}`;
  return frames.length === 0 ? last : `Traceback (most recent call last):\n${frames.join('')}${last}`;
}

import { format } from 'node:util';

import type { LogEntry } from '../events/log-record';
import type { SecretRedactor } from './secret-redactor';

/**
 * Redacts secrets from a log entry before any sink sees it: the message with its arguments filled in (a secret can
 * arrive through either), the attached error (a copy of the same class) and relayed exception and stack text.
 * @param entry - The entry.
 * @param redactor - The secrets to remove.
 * @returns The entry itself when it holds no secret (or there are none); otherwise a copy whose message is already
 *   formatted (no `args`) when the secret was in the message.
 */
export function redactLogEntry<E extends LogEntry>(entry: E, redactor: SecretRedactor): E {
  if (redactor.empty) return entry;
  const formatted =
    entry.args === undefined || entry.args.length === 0 ? entry.message : format(entry.message, ...entry.args);
  const message = redactor.redact(formatted);
  const error = redactor.redactValue(entry.error);
  const excText = entry.excText === undefined ? undefined : redactor.redact(entry.excText);
  const stackInfo = entry.stackInfo === undefined ? undefined : redactor.redact(entry.stackInfo);
  if (message === formatted && error === entry.error && excText === entry.excText && stackInfo === entry.stackInfo) {
    return entry;
  }
  const copy = Object.assign({}, entry) as Record<string, unknown>;
  if (message !== formatted) {
    copy.message = message;
    delete copy.args;
  }
  if (error !== entry.error) copy.error = error;
  if (excText !== entry.excText) copy.excText = excText;
  if (stackInfo !== entry.stackInfo) copy.stackInfo = stackInfo;
  return copy as E;
}

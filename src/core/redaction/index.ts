export { MIN_SECRET_LENGTH, REDACTED, SecretRedactor } from './secret-redactor';
export { redactLogEntry } from './redact-log-entry';

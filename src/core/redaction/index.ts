/**
 * Redaction of secrets (the values of a twine's credentials strand) from what Skein emits: one precompiled pattern
 * per analysis, applied to log entries, events, diagnostics and recordings at the points where they leave.
 * @module
 */
export { MIN_SECRET_LENGTH, REDACTED, SecretRedactor } from './secret-redactor';
export { redactLogEntry } from './redact-log-entry';

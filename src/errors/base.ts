/**
 * The root of Skein's single error tree. Every error Skein throws is a `SkeinError`; leaves carry typed context in
 * readonly fields and keep the foreign failure that caused them as `cause`.
 */
export class SkeinError extends Error {
  /**
   * @param message - What went wrong and, where it helps, what to do about it.
   * @param options - `cause`: the underlying failure (an ajv error list, a client error, …).
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // `new.target` names the leaf class, so subclasses need no boilerplate and the wire name matches the class name.
    this.name = new.target.name;
  }
}

/** One failing value found by schema validation. */
export interface ValidationFailure {
  /** JSON pointer (RFC 6901) of the failing value inside the validated document; `""` is the document itself. */
  readonly pointer: string;
  /** Human-readable reason, e.g. `must be >= 2`. */
  readonly message: string;
  /** The JSON Schema keyword that failed (`minimum`, `required`, …), when known. */
  readonly keyword?: string;
}

/** Context shared by validation errors: which strand failed and at which values. */
export interface ValidationContext {
  /** The twine strand (or other document kind) that failed, e.g. `input_values`. */
  readonly strand?: string;
  /** Every failing value, with its JSON pointer. */
  readonly failures?: readonly ValidationFailure[];
  /** The underlying failure, such as ajv's error list. */
  readonly cause?: unknown;
}

/** Formats validation failures as one line per failure, `<pointer>: <message>`. */
export function describeFailures(failures: readonly ValidationFailure[]): string {
  return failures.map((f) => `  ${f.pointer === '' ? '(root)' : f.pointer}: ${f.message}`).join('\n');
}

/** Base for errors produced by validating a document; carries the strand and every failing pointer. */
export class SkeinValidationError extends SkeinError {
  /** The strand that failed, when the error concerns one. */
  readonly strand: string | undefined;
  /** Every failing value with its JSON pointer; empty when the failure is not about specific values. */
  readonly failures: readonly ValidationFailure[];

  /**
   * @param message - Summary of the failure; the failures are appended one per line.
   * @param context - Strand, failures and cause.
   */
  constructor(message: string, context: ValidationContext = {}) {
    const failures = context.failures ?? [];
    super(failures.length > 0 ? `${message}\n${describeFailures(failures)}` : message, { cause: context.cause });
    this.strand = context.strand;
    this.failures = failures;
  }
}

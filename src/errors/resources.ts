import { SkeinError } from './base';

// Names match Octue's `octue.exceptions` so errors cross to Python peers by class name.

/** Bad input to a resource (Octue's `InvalidInputException`). */
export class InvalidInputException extends SkeinError {}

/** A file that should exist does not. */
export class FileNotFoundException extends InvalidInputException {
  /** The path or URL that was not found. */
  readonly path: string | undefined;

  /**
   * @param message - What was looked for.
   * @param context - The path and cause.
   */
  constructor(message: string, context: { path?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.path = context.path;
  }
}

/** A folder that should exist does not. */
export class FolderNotFoundException extends InvalidInputException {}

/** A manifest file could not be found. */
export class ManifestNotFoundException extends InvalidInputException {}

/** A manifest is malformed. */
export class InvalidManifestException extends InvalidInputException {}

/** A tag name or value breaks Octue's tag rules. */
export class InvalidTagException extends SkeinError {}

/** A label breaks Octue's label rules. */
export class InvalidLabelException extends SkeinError {}

/** A filter query matched a different number of items than `one()` requires. */
export class UnexpectedNumberOfResultsException extends SkeinError {}

/** `orderBy` found a gap or a wrong start in a sequence it was asked to check. */
export class BrokenSequenceException extends SkeinError {}

/** A filter name or action is not valid for the values it is applied to. */
export class InvalidFilterException extends SkeinError {}

/** Two sources of an attribute disagree (e.g. a path given twice). */
export class AttributeConflict extends SkeinError {}

/** A cloud path was needed but none was given. */
export class CloudLocationNotSpecified extends SkeinError {}

/** A write was attempted on a resource opened read-only. */
export class ReadOnlyResource extends SkeinError {}

/** A file was local where only cloud files are allowed (e.g. in a question's input manifest). */
export class FileLocationError extends SkeinError {}

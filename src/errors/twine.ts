import { SkeinError, SkeinValidationError } from './base';

// Names match Octue's `octue.twined.exceptions` so errors cross to Python peers by class name.

/** Base of every twine-related error (Octue's `TwineException`). */
export class TwineException extends SkeinValidationError {}

/** A value given for a strand is unusable, e.g. a required strand is missing (Octue's `TwineValueException`). */
export class TwineValueException extends TwineException {}

/** A value of the wrong type was given where a twine source or strand was expected. */
export class TwineTypeException extends TwineException {}

/** The twine's `twined_version` does not match this SDK. */
export class TwineVersionConflict extends TwineException {}

/** The twine itself is malformed. */
export class InvalidTwine extends TwineException {}

/** The twine source is not valid JSON. */
export class InvalidTwineJson extends InvalidTwine {}

/** The twine is JSON but does not satisfy the twine meta-schema. */
export class InvalidTwineContents extends InvalidTwine {}

/** A strand name that is not one of the known strands. */
export class UnknownStrand extends TwineException {}

/** Data was given for a strand the twine does not have. */
export class StrandNotFound extends TwineException {}

/** A credential the twine requires is not in the environment (or Secret Manager). */
export class CredentialNotFound extends TwineException {
  /** The missing credential's name, e.g. `MYAPI_SECRET_KEY`. */
  readonly credentialName: string | undefined;

  /**
   * @param message - Which credential is missing and where it was looked for.
   * @param context - The credential name and cause.
   */
  constructor(message: string, context: { credentialName?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause, strand: 'credentials' });
    this.credentialName = context.credentialName;
  }
}

/** A source file for the twine or a strand does not exist. */
export class TwineFileNotFound extends TwineException {
  /** The path that was not found. */
  readonly path: string | undefined;

  /**
   * @param message - What was looked for.
   * @param context - The path, strand and cause.
   */
  constructor(message: string, context: { path?: string; strand?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause, strand: context.strand });
    this.path = context.path;
  }
}

/** A values or manifest source was of a kind Skein cannot read. */
export class InvalidSourceKindException extends TwineException {}

/** Base for invalid values strands. */
export class InvalidValues extends TwineException {}

/** A values source is not valid JSON. */
export class InvalidValuesJson extends InvalidValues {}

/** Values do not satisfy their strand's schema. */
export class InvalidValuesContents extends InvalidValues {}

/** Base for invalid manifest strands. */
export class InvalidManifest extends TwineException {}

/** A manifest source is not valid JSON. */
export class InvalidManifestJson extends InvalidManifest {}

/** A manifest is of the wrong type. */
export class InvalidManifestType extends InvalidManifest {}

/** A manifest does not satisfy the manifest schema, lacks a required dataset, or has files with bad tags. */
export class InvalidManifestContents extends InvalidManifest {}

/** A monitor message does not satisfy the twine's `monitor_message_schema`. */
export class InvalidMonitorMessage extends SkeinValidationError {}

/** A feature Skein does not implement yet. */
export class NotImplementedYet extends SkeinError {}

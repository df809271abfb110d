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
export class FolderNotFoundException extends InvalidInputException {
  /** The directory, cloud prefix or URL that was not found. */
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

/** A filter's action does not exist for the type of attribute it reaches (or that type cannot be filtered at all). */
export class InvalidFilterAction extends InvalidFilterException {
  /** The whole filter name, e.g. `name__startswith`. */
  readonly filterName: string;
  /** The action part of the filter name, e.g. `startswith`. */
  readonly action: string;
  /** The type of the attribute the filter reached, e.g. `string`, `Date`, `LabelSet`. */
  readonly valueType: string;
  /** The actions that type does support (empty when it supports none). */
  readonly validActions: readonly string[];

  /**
   * @param message - What was wrong and which actions are valid.
   * @param context - The filter, its action, the attribute's type and the valid actions.
   */
  constructor(
    message: string,
    context: { filterName: string; action: string; valueType: string; validActions: readonly string[] },
  ) {
    super(message);
    this.filterName = context.filterName;
    this.action = context.action;
    this.valueType = context.valueType;
    this.validActions = context.validActions;
  }
}

/** A filter's value has the wrong shape for its action (e.g. `in_range` needs a `[low, high]` pair). */
export class InvalidFilterValue extends InvalidFilterException {
  /** The whole filter name, e.g. `size__in_range`. */
  readonly filterName: string;
  /** The action part of the filter name. */
  readonly action: string;
  /** What the action expects, e.g. `a [low, high] pair of numbers`. */
  readonly expected: string;

  /**
   * @param message - What was given and what was expected.
   * @param context - The filter, its action and what it expects.
   */
  constructor(message: string, context: { filterName: string; action: string; expected: string }) {
    super(message);
    this.filterName = context.filterName;
    this.action = context.action;
    this.expected = context.expected;
  }
}

/** An item lacks the attribute or key that a filter or an ordering names. */
export class FilterAttributeNotFound extends InvalidInputException {
  /** The missing attribute path, `__`-separated, e.g. `tags__cluster`. */
  readonly attributeName: string;
  /** The filter that named it; `undefined` when the attribute was named by `orderBy`. */
  readonly filterName: string | undefined;

  /**
   * @param message - Which item lacked which attribute and how to skip such items.
   * @param context - The attribute path and the filter that named it.
   */
  constructor(message: string, context: { attributeName: string; filterName?: string }) {
    super(message);
    this.attributeName = context.attributeName;
    this.filterName = context.filterName;
  }
}

/** Two sources of an attribute disagree (e.g. a path given twice). */
export class AttributeConflict extends SkeinError {}

/** A cloud path was needed but none was given. */
export class CloudLocationNotSpecified extends SkeinError {}

/** A write was attempted on a resource opened read-only. */
export class ReadOnlyResource extends SkeinError {}

/** A file was local where only cloud files are allowed (e.g. in a question's input manifest). */
export class FileLocationError extends SkeinError {}

/**
 * A manifest received over the wire (a question's input manifest, or the output manifest of a child's answer) names a
 * location the receiver may not read: a local path outside its allowed roots, a URL at a host it does not fetch from,
 * or a bucket outside its allowed buckets. Thrown before anything is read there.
 */
export class ResourceLocationNotAllowed extends InvalidInputException {
  /** The location as the manifest gave it (never the resolved target of a symlink, which would leak the layout). */
  readonly location: string | undefined;

  /**
   * @param message - Which location was refused and how to allow it.
   * @param context - The location and cause.
   */
  constructor(message: string, context: { location?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.location = context.location;
  }
}

/** A local path (absolute, relative, or a `file://` URL) outside the service's allowed local roots. */
export class LocalPathNotAllowed extends ResourceLocationNotAllowed {}

/** An `http(s)://` URL that is neither a signed Cloud Storage URL nor at a host the service allows. */
export class UrlHostNotAllowed extends ResourceLocationNotAllowed {
  /** The URL's host (`host[:port]`), or `undefined` when the URL does not parse. */
  readonly host: string | undefined;

  /**
   * @param message - Which host was refused and how to allow it.
   * @param context - The URL, its host and cause.
   */
  constructor(message: string, context: { location?: string; host?: string; cause?: unknown } = {}) {
    super(message, context);
    this.host = context.host;
  }
}

/** A `gs://` path in a bucket outside the service's allowed buckets. */
export class BucketNotAllowed extends ResourceLocationNotAllowed {
  /** The bucket the path names. */
  readonly bucket: string | undefined;

  /**
   * @param message - Which bucket was refused and how to allow it.
   * @param context - The path, its bucket and cause.
   */
  constructor(message: string, context: { location?: string; bucket?: string; cause?: unknown } = {}) {
    super(message, context);
    this.bucket = context.bucket;
  }
}

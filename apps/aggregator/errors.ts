import { InvalidInputException, SkeinError } from '../../src/errors';

// The aggregator app's own leaves of the error tree; see AGGREGATOR_ERROR_CLASSES.

/** The aggregator was asked about an input manifest without datasets: there are no groups to summarise. */
export class NoInputDatasets extends InvalidInputException {}

/** The analysis has no `csv-stats` child: the runner was given no children (or none with that key). */
export class ChildNotConfigured extends SkeinError {
  /** The twine key of the missing child. */
  readonly key: string | undefined;

  /**
   * @param message - Which child is missing and how to configure it.
   * @param context - The child's key.
   */
  constructor(message: string, context: { key?: string } = {}) {
    super(message);
    this.key = context.key;
  }
}

/** A child answered, but not with csv-stats output values. */
export class InvalidChildAnswer extends SkeinError {
  /** The group (input dataset key) the question was about. */
  readonly group: string | undefined;
  /** The child's SRUID. */
  readonly childId: string | undefined;

  /**
   * @param message - Which child, which group and what was wrong.
   * @param context - The group, the child and the validation error as `cause`.
   */
  constructor(message: string, context: { group?: string; childId?: string; cause?: unknown } = {}) {
    super(message, { cause: context.cause });
    this.group = context.group;
    this.childId = context.childId;
  }
}

/** Every aggregator error class, for a parent's `Child` (`errorClasses`) to re-create them by name. */
export const AGGREGATOR_ERROR_CLASSES = [NoInputDatasets, ChildNotConfigured, InvalidChildAnswer] as const;

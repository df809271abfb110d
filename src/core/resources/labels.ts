import { InvalidLabelException } from '../../errors';
import { compareCodePointStrings } from '../json/python-repr';

/** Octue's label rule: lowercase letters, digits and `-`, starting with a letter or digit, not ending in `-`. */
export const LABEL_PATTERN = /^[a-z0-9][a-z0-9-]*(?<!-)$/;

/**
 * What a label set can be built from: an iterable of labels, or one string holding either a JSON list of labels
 * (`'["a", "b"]'`) or whitespace-separated labels (`'a b-c'`).
 */
export type LabelsInput = LabelSet | Iterable<string> | string | null;

/**
 * Cleans one label (surrounding whitespace is stripped) and checks it against {@link LABEL_PATTERN}.
 *
 * @param label - The label.
 * @returns The cleaned label.
 * @throws InvalidLabelException when the label is not a string or breaks the rule.
 */
export function cleanLabel(label: unknown): string {
  if (typeof label !== 'string') {
    throw new InvalidLabelException(
      `Labels must be expressed as strings; received ${JSON.stringify(label) ?? typeof label}.`,
    );
  }
  const cleaned = label.trim();
  if (!LABEL_PATTERN.test(cleaned)) {
    throw new InvalidLabelException(
      `Invalid label '${cleaned}'. Labels must contain only lowercase characters 'a-z', '0-9', and '-'. They must ` +
        `not start or end with '-'.`,
    );
  }
  return cleaned;
}

/**
 * A set of labels (Octue's `LabelSet`): every label added is cleaned and checked.
 *
 * @example
 * ```ts
 * const labels = new LabelSet('raw  processed'); // Set { 'raw', 'processed' }
 * new LabelSet('["a", "b-c"]');                   // from a JSON list
 * labels.add('Not_OK');                            // throws InvalidLabelException
 * ```
 */
export class LabelSet extends Set<string> {
  /**
   * @param labels - Initial labels (see {@link LabelsInput}).
   * @throws InvalidLabelException when a label breaks the rule or `labels` is neither a string nor an iterable.
   */
  constructor(labels?: LabelsInput) {
    super(parseLabels(labels));
  }

  /**
   * Adds one label after cleaning and checking it.
   * @param label - The label.
   * @returns This set.
   * @throws InvalidLabelException when the label breaks the rule.
   */
  override add(label: string): this {
    return super.add(cleanLabel(label));
  }

  /**
   * Adds several labels; they are all checked first, so a bad label leaves the set unchanged.
   * @param labels - The labels.
   * @returns This set.
   * @throws InvalidLabelException when any label breaks the rule.
   */
  update(...labels: string[]): this {
    const cleaned = labels.map(cleanLabel);
    for (const label of cleaned) super.add(label);
    return this;
  }

  /** The labels sorted by code point (as Python's `sorted`), the form Octue's primitives use. */
  sorted(): string[] {
    return [...this].sort(compareCodePointStrings);
  }

  /** Whether any label starts with `value`. */
  anyLabelStartsWith(value: string): boolean {
    return [...this].some((label) => label.startsWith(value));
  }

  /** Whether any label ends with `value`. */
  anyLabelEndsWith(value: string): boolean {
    return [...this].some((label) => label.endsWith(value));
  }

  /** Whether any label contains `value`. */
  anyLabelContains(value: string): boolean {
    return [...this].some((label) => label.includes(value));
  }
}

function parseLabels(labels: LabelsInput | undefined): string[] {
  if (labels === null || labels === undefined) return [];
  if (typeof labels === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(labels);
    } catch {
      return labels.trim().split(/\s+/).filter(Boolean).map(cleanLabel);
    }
    if (!Array.isArray(parsed)) {
      // A bare JSON scalar such as `"7"` or `a` (handled above) is read as whitespace-separated labels, as Octue does.
      return labels.trim().split(/\s+/).filter(Boolean).map(cleanLabel);
    }
    return parsed.map(cleanLabel);
  }
  if (typeof labels === 'object' && Symbol.iterator in labels) return [...labels].map(cleanLabel);
  throw new InvalidLabelException(
    'Labels must be expressed as a whitespace-delimited string, a JSON list string, or an iterable of strings.',
  );
}

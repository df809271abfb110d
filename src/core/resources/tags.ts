import { InvalidTagException } from '../../errors';

/** Octue's tag-name rule: lowercase letters, digits and `_`, starting with a letter or digit, not ending in `_`. */
export const TAG_NAME_PATTERN = /^[a-z0-9][a-z0-9_]*(?<!_)$/;

/** What a tag set can be built from: a plain object, a `Map`, another `TagDict`, or key-value pairs. */
export type TagsInput = TagDict | Readonly<Record<string, unknown>> | Iterable<readonly [string, unknown]> | null;

/**
 * Tags: key-value pairs whose keys follow {@link TAG_NAME_PATTERN} and whose values are anything JSON can carry (Octue's
 * `TagDict`). Every way of adding a tag checks its name.
 *
 * @example
 * ```ts
 * const tags = new TagDict({ cluster: 0, sequence: 'a' });
 * tags.set('Bad-Name', 1); // throws InvalidTagException
 * ```
 */
export class TagDict extends Map<string, unknown> {
  /**
   * @param tags - Initial tags (a plain object, a Map, a TagDict or `[name, value]` pairs).
   * @throws InvalidTagException when a tag name breaks the rule or `tags` is not a mapping.
   */
  constructor(tags?: TagsInput) {
    super(toEntries(tags));
  }

  /**
   * Adds or replaces one tag.
   * @param name - The tag name.
   * @param value - Any JSON-compatible value.
   * @returns This tag set.
   * @throws InvalidTagException when the name breaks the rule.
   */
  override set(name: string, value: unknown): this {
    checkTagName(name);
    return super.set(name, value);
  }

  /**
   * Adds or replaces several tags. Names are all checked first, so a bad name leaves the set unchanged.
   * @param tags - The tags to add.
   * @returns This tag set.
   * @throws InvalidTagException when any name breaks the rule.
   */
  update(tags: TagsInput): this {
    const entries = toEntries(tags);
    for (const [name, value] of entries) super.set(name, value);
    return this;
  }

  /**
   * The tags as a plain object (Octue's `TagDict.to_primitive()`), in insertion order.
   * @returns A new object.
   */
  toPrimitive(): Record<string, unknown> {
    return Object.fromEntries(this);
  }
}

/**
 * Checks a tag name against Octue's rule.
 * @param name - The tag name.
 * @throws InvalidTagException when it breaks the rule.
 */
export function checkTagName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !TAG_NAME_PATTERN.test(name)) {
    throw new InvalidTagException(
      `Invalid tag '${String(name)}'. Tags must contain only lowercase characters 'a-z', '0-9', and '_'. They must ` +
        `not start or end with '_'.`,
    );
  }
}

function toEntries(tags: TagsInput | undefined): [string, unknown][] {
  if (tags === null || tags === undefined) return [];
  let entries: [string, unknown][];
  if (tags instanceof Map) {
    entries = [...(tags as Map<string, unknown>)];
  } else if (typeof tags === 'object' && Symbol.iterator in tags) {
    entries = [...(tags as Iterable<readonly [string, unknown]>)].map((entry) => {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw new InvalidTagException('Tags given as an iterable must be [name, value] pairs.');
      }
      return [entry[0], entry[1]];
    });
  } else if (typeof tags === 'object' && !Array.isArray(tags)) {
    entries = Object.entries(tags);
  } else {
    throw new InvalidTagException(`Tags must be an object of name-value pairs; received ${typeof tags}.`);
  }
  for (const [name] of entries) checkTagName(name);
  return entries;
}

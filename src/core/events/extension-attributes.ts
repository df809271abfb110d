import { InvalidEvent } from '../../errors';
import { setOwnProperty } from '../json/own-property';

/**
 * Extension attributes: extra Pub/Sub attributes a Skein question may carry for Skein-only features (such as the
 * federation context). Octue peers decode only the attributes they know and validate that minimal set, so they ignore
 * these; Skein's own decoder ignores them too, and only {@link pickExtensionAttributes} hands them on.
 * @module
 */

/** Every extension attribute's name starts with this, so it can never collide with an Octue attribute. */
export const EXTENSION_ATTRIBUTE_PREFIX = 'skein_';

/** The most extension attributes one message may carry (Pub/Sub allows 100 attributes; Octue uses about 15). */
export const MAX_EXTENSION_ATTRIBUTES = 48;

/** Pub/Sub's limit on one attribute value, in UTF-8 bytes. */
export const MAX_ATTRIBUTE_VALUE_BYTES = 1024;

const NAME_PATTERN = /^skein_[a-z0-9_]{1,64}$/;

/**
 * Checks extension attributes before they are published.
 * @param attributes - Names (each `skein_` + lowercase letters, digits and underscores) to string values.
 * @throws InvalidEvent for a bad name or value, a value over 1024 bytes, or too many attributes.
 */
export function checkExtensionAttributes(attributes: Readonly<Record<string, string>>): void {
  const names = Object.keys(attributes);
  if (names.length > MAX_EXTENSION_ATTRIBUTES) {
    throw new InvalidEvent(`A question may carry at most ${MAX_EXTENSION_ATTRIBUTES} extension attributes.`);
  }
  for (const name of names) {
    const value = attributes[name];
    if (!NAME_PATTERN.test(name)) {
      throw new InvalidEvent(`'${name}' is not an extension attribute name (skein_ + [a-z0-9_], at most 70 chars).`);
    }
    if (typeof value !== 'string' || Buffer.byteLength(value, 'utf8') > MAX_ATTRIBUTE_VALUE_BYTES) {
      throw new InvalidEvent(`The extension attribute '${name}' must be a string of at most 1024 UTF-8 bytes.`);
    }
  }
}

/**
 * Picks the well-formed extension attributes out of a received message's attributes; everything else is dropped.
 * @param raw - The attributes as received (hostile: any keys, any values).
 * @returns A new plain object of the extension attributes (at most {@link MAX_EXTENSION_ATTRIBUTES}).
 */
export function pickExtensionAttributes(raw: Readonly<Record<string, unknown>>): Record<string, string> {
  const picked: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of Object.entries(raw)) {
    if (count >= MAX_EXTENSION_ATTRIBUTES) break;
    if (!NAME_PATTERN.test(name) || typeof value !== 'string') continue;
    if (Buffer.byteLength(value, 'utf8') > MAX_ATTRIBUTE_VALUE_BYTES) continue;
    setOwnProperty(picked, name, value);
    count += 1;
  }
  return picked;
}

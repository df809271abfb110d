/**
 * The Octue SDK version Skein declares itself compatible with, written wherever Octue writes its own version: the
 * `sender_sdk_version` event attribute and `sdk_version` in resource metadata. It must be a version in Octue's
 * compatibility table, or Python peers log compatibility warnings.
 */
export const OCTUE_COMPATIBLE_SDK_VERSION = '0.69.0';

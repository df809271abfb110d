export {
  DEFAULT_NAMESPACE,
  LOCAL_SRUID,
  MAX_REVISION_TAG_LENGTH,
  validateNamespace,
  validateName,
  validateRevisionTag,
  parseServiceId,
  parseSruid,
  validateSruid,
  isValidSruid,
  formatServiceId,
  createSruid,
} from './sruid';
export type { ServiceIdParts, SruidParts, CreateSruidOptions } from './sruid';
export { toPubSubForm, sruidFromPubSubName } from './pub-sub-form';
export { SERVICE_NAMESPACE_ENV, SERVICE_NAME_ENV, SERVICE_REVISION_TAG_ENV, resolveSruidParts } from './overrides';
export type { Environment, ResolveSruidPartsParams, ResolvedSruidParts } from './overrides';
export { generateSlug } from './slug';
export type { RandomInt } from './slug';

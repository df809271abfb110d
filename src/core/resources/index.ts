/**
 * Octue's resources: `Datafile`, `Dataset` and `Manifest`, with their tags, labels, stored metadata (`.octue` files
 * and GCS custom metadata), hashes and signed URLs. Cloud I/O goes through an injected `ObjectStore`.
 * @module
 */
export { Datafile } from './datafile';
export type {
  CloudAccessOptions,
  DatafileDownloadOptions,
  DatafileInit,
  DatafileLoadOptions,
  DatafileMetadata,
  DatafileMetadataOptions,
  DatafilePrimitive,
  DatafileUploadOptions,
  SignedUrlOptions,
} from './datafile-types';
export { Dataset } from './dataset';
export type {
  DatasetDownloadOptions,
  DatasetFromFilesOptions,
  DatasetInit,
  DatasetLoadOptions,
  DatasetPrimitive,
  DatasetUploadOptions,
} from './dataset-types';
export { Manifest } from './manifest';
export type { ManifestDownloadOptions, ManifestInit, ManifestLoadOptions, ManifestPrimitive } from './manifest';
export { TaggedResource } from './resource';
export type { ResourceInit } from './resource';
export { TAG_NAME_PATTERN, TagDict, checkTagName } from './tags';
export type { TagsInput } from './tags';
export { LABEL_PATTERN, LabelSet, cleanLabel } from './labels';
export type { LabelsInput } from './labels';
export {
  EMPTY_STRING_HASH_VALUE,
  METADATA_FILENAME,
  OCTUE_METADATA_PREFIX,
  RESOURCE_SDK_VERSION,
  normaliseId,
  normaliseTimestamp,
} from './resource-values';
export type { TimestampInput } from './resource-values';
export { decodeCloudMetadataValue, decodeCustomMetadata, encodeCloudMetadata } from './cloud-metadata';
export type { CloudMetadataRecord } from './cloud-metadata';
export {
  encodeLocalMetadata,
  localMetadataPath,
  readLocalMetadataFile,
  updateLocalMetadataFile,
} from './local-metadata';
export type { LocalMetadataRecords } from './local-metadata';
export { SIGNED_METADATA_DIRECTORY, isRemotePath, isUrl } from './paths';
export { CLOUD_STORAGE_ORIGIN, LocationPolicy, isLocalLocation } from './location-policy';
export type { LocationPolicyOptions } from './location-policy';
export {
  checkManifestLocations,
  datafilePrimitiveLocations,
  datasetPrimitiveLocations,
  manifestPrimitiveLocations,
} from './manifest-locations';
export type { FetchFunction, UrlAccessOptions } from './url-access';

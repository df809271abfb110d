export {
  SERVICE_OPTIONS,
  SERVICE_FILE_KEYS,
  CONFIGURATION_PATH_OPTION,
  CLAIMS_LOCATION_ENV,
  FEDERATION_MAILBOX_ROOT_ENV,
  DEFAULT_FEDERATION_RUN_DEADLINE_SECONDS,
} from './options';
export { federationMailboxRoot, FEDERATION_DIRECTORY } from './federation';
export type { ServiceConfiguration, OptionSpec, ServiceOptionTable, ConfigurationNotice } from './options';
export { parseOctueYaml } from './octue-yaml';
export type { ParsedOctueYaml } from './octue-yaml';
export { resolveServiceConfiguration, loadServiceConfiguration, resolveEnvironmentOptions } from './resolve';
export type {
  ConfigurationEnvironment,
  ServiceConfigurationOverrides,
  ResolveServiceConfigurationParams,
  ResolvedServiceConfiguration,
  LoadServiceConfigurationParams,
} from './resolve';
export {
  CLOUD_DIRECTORY_PATTERN,
  FEDERATION_PROJECT_PATTERN,
  DISALLOWED_NAMESPACES,
  stringValue,
  kebabValue,
  namespaceValue,
  booleanValue,
  positiveNumberValue,
  pathValue,
  cloudDirectoryValue,
  registriesValue,
  strandDataValue,
} from './values';
export type { OptionOrigin, ParseContext, Parsed, OptionParser, ServiceRegistry } from './values';

export { SERVICE_OPTIONS, SERVICE_FILE_KEYS, CONFIGURATION_PATH_OPTION, CLAIMS_LOCATION_ENV } from './options';
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

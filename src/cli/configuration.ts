import { loadServiceConfiguration } from '../core/config';
import type { ServiceConfiguration, ServiceConfigurationOverrides } from '../core/config';
import type { Logger } from '../service/logging';
import type { CliContext } from './context';

/**
 * Loads the service configuration a command runs with: the `-c/--service-config` file (default
 * `OCTUE_SERVICE_CONFIGURATION_PATH`, else `./octue.yaml`), the environment and the command's options, and logs what
 * is worth knowing about it (unused keys, environment overrides).
 * @param context - The CLI context (its environment).
 * @param params - The file named on the command line and the options that override it.
 * @param logger - Where notices go.
 * @returns The configuration.
 * @throws ServiceConfigurationNotFound when the file cannot be read (exit code 2); InvalidServiceConfiguration when
 *   it or an option is invalid.
 */
export function loadCommandConfiguration(
  context: CliContext,
  params: { readonly path?: string; readonly overrides?: ServiceConfigurationOverrides },
  logger: Logger,
): ServiceConfiguration {
  const resolved = loadServiceConfiguration({
    path: params.path,
    env: context.env,
    overrides: params.overrides,
    cwd: process.cwd(),
  });
  for (const notice of resolved.notices) {
    if (notice.level === 'warning') logger.warning(notice.message);
    else logger.info(notice.message);
  }
  return resolved.configuration;
}

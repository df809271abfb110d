import { load as loadYaml, YAMLException } from 'js-yaml';

import { InvalidServiceConfiguration } from '../../errors';
import { SERVICE_FILE_KEYS } from './options';
import type { ConfigurationNotice } from './options';

/** The first service entry of an `octue.yaml` file, with what is worth telling the user about it. */
export interface ParsedOctueYaml {
  /** `services[0]` as written. */
  readonly entry: Readonly<Record<string, unknown>>;
  /** Unused keys, ignored further services. */
  readonly notices: readonly ConfigurationNotice[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses the text of an `octue.yaml` file and picks its first service entry, as Octue does (further entries are
 * ignored). Unknown keys in the entry are reported as warnings (Octue's "keyword arguments were not used").
 * @param text - The YAML text.
 * @param path - The file's path, for messages.
 * @returns The entry and notices.
 * @throws InvalidServiceConfiguration when the text is not YAML, or has no non-empty `services` list whose first
 *   item is a mapping.
 */
export function parseOctueYaml(text: string, path?: string): ParsedOctueYaml {
  const where = path === undefined ? 'The service configuration' : `The service configuration '${path}'`;
  let document: unknown;
  try {
    document = loadYaml(text, { filename: path });
  } catch (error) {
    const reason = error instanceof YAMLException ? error.reason : String(error);
    throw new InvalidServiceConfiguration(`${where} is not valid YAML: ${reason}.`, { path, cause: error });
  }
  const services = isRecord(document) ? document.services : undefined;
  if (!Array.isArray(services) || services.length === 0) {
    throw new InvalidServiceConfiguration(`${where} must have a non-empty 'services' list.`, {
      path,
      failures: [{ pointer: '/services', message: 'must be a non-empty array', keyword: 'type' }],
    });
  }
  const entry: unknown = services[0];
  if (!isRecord(entry)) {
    throw new InvalidServiceConfiguration(`${where} must describe its service as a mapping of keys to values.`, {
      path,
      failures: [{ pointer: '/services/0', message: 'must be object', keyword: 'type' }],
    });
  }
  const notices: ConfigurationNotice[] = [];
  const unused = Object.keys(entry).filter((key) => !SERVICE_FILE_KEYS.has(key));
  if (unused.length > 0) {
    notices.push({
      level: 'warning',
      message: `${where} has keys that are not used: ${unused.map((key) => `'${key}'`).join(', ')}.`,
    });
  }
  if (services.length > 1) {
    notices.push({
      level: 'info',
      message: `${where} lists ${services.length} services; only the first is used.`,
    });
  }
  return { entry, notices };
}

import type { DeployConfigInput } from '../../../src/deploy/settings';

/** Overrides for {@link configInput}. */
export interface ConfigInputOverrides {
  readonly service?: string;
  readonly provider?: Record<string, unknown>;
  readonly functions?: Record<string, unknown>;
  readonly skein?: Record<string, unknown>;
  readonly options?: DeployConfigInput['options'];
}

/**
 * A serverless.yml as Serverless hands it to the plugin (variables resolved), shaped like the repository's own: two
 * services, project `demo-x`, region `europe-west1`. Tests override the parts they are about.
 * @param overrides - Replacements (provider and skein keys are merged; functions replace).
 * @returns The configuration input.
 */
export function configInput(overrides: ConfigInputOverrides = {}): DeployConfigInput {
  return {
    service: overrides.service ?? 'skein-examples',
    provider: {
      name: 'google',
      runtime: 'nodejs22',
      project: 'demo-x',
      region: 'europe-west1',
      stage: 'dev',
      memorySize: 512,
      timeout: 540,
      ...overrides.provider,
    },
    functions: overrides.functions ?? {
      csvStats: {
        handler: 'csvStats',
        sruid: 'skein-examples/csv-stats:0.1.0',
        twine: 'twines/csv-stats.json',
        memorySize: 1024,
        maxInstances: 20,
        name: 'skein-examples-dev-csvStats',
        events: [],
      },
      aggregator: {
        handler: 'aggregator',
        sruid: 'skein-examples/aggregator:0.1.0',
        twine: 'twines/aggregator.json',
        timeout: 600,
        environment: { SKEIN_CHILDREN: '[]' },
        name: 'skein-examples-dev-aggregator',
        events: [],
      },
    },
    custom: { skein: { servicesEnvironment: 'main', ...overrides.skein } },
    ...(overrides.options === undefined ? {} : { options: overrides.options }),
  };
}

/** A source zip description for plans built in tests. */
export const SOURCE_INFO = {
  archive: 'skein-examples.zip',
  sizeBytes: 1234,
  sha256: 'ab'.repeat(32),
  files: ['dist/functions/index.js', 'package.json'],
} as const;

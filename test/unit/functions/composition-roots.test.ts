// The composition roots in functions/: each resolves its identity from the environment alone and builds its service
// on the first event addressed to it. A message addressed to another service is dropped before anything is built, so
// these tests need no Pub/Sub traffic.
import type { CloudEventLike, DeliveryReport } from '../../../src/functions';
import { RedeliveryRequested } from '../../../src/errors';
import { questionMessage } from '../service/helpers';
import { cloudEventOf, jsonMessage } from './events';

type Handler = (event: CloudEventLike) => Promise<DeliveryReport>;

const saved = { ...process.env };

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

function loadFunctions(env: Record<string, string>): { csvStats: Handler; aggregator: Handler } {
  Object.assign(process.env, env);
  let loaded: { csvStats: Handler; aggregator: Handler } | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('../../../functions') as { csvStats: Handler; aggregator: Handler };
  });
  return loaded as { csvStats: Handler; aggregator: Handler };
}

const elsewhere = (): CloudEventLike => {
  const { data, attributes } = questionMessage();
  return cloudEventOf(jsonMessage({ data, attributes: { ...attributes, recipient: 'acme/other:1.0.0' } }));
};

describe('Module: functions/index', () => {
  it.each(['csvStats', 'aggregator'] as const)(
    'exports %s, which drops messages for other services before building anything',
    async (name) => {
      // Prepare
      const handler = loadFunctions({ GOOGLE_CLOUD_PROJECT: 'demo-functions' })[name];

      // Act
      const report = await handler(elsewhere());

      // Assess
      expect(report).toMatchObject({ status: 'not-addressed', acknowledged: true });
    },
  );

  it.each(['csvStats', 'aggregator'] as const)(
    'refuses events (5xx) while %s has no project configured, whatever project the event names',
    async (name) => {
      // Prepare: the event's source names projects/demo-functions/topics/main.octue.twined.services.
      const handler = loadFunctions({ GOOGLE_CLOUD_PROJECT: '' })[name];

      // Act
      const handling = handler(elsewhere());

      // Assess
      await expect(handling).rejects.toMatchObject({ name: RedeliveryRequested.name });
      await expect(handler(elsewhere())).rejects.toThrow('/env/GOOGLE_CLOUD_PROJECT');
    },
  );

  it.each(['csvStats', 'aggregator'] as const)(
    'refuses events (5xx) while %s cannot be built from its environment',
    async (name) => {
      // Prepare
      const handler = loadFunctions({ GOOGLE_CLOUD_PROJECT: 'demo-functions', OCTUE_SERVICE_REVISION_TAG: '1.0-' })[
        name
      ];

      // Act
      const handling = handler(elsewhere());

      // Assess: the module registry is isolated, so the class is matched by name.
      await expect(handling).rejects.toMatchObject({ name: RedeliveryRequested.name });
      await expect(handler(elsewhere())).rejects.toThrow("The service could not be built: '1.0-' is not a valid");
    },
  );

  it('builds csvStats with federation when SKEIN_FEDERATION_PROJECT is set, refusing (5xx) without a bucket for it', async () => {
    // Prepare: a question addressed to csv-stats, with federation enabled but no claims, output or mailbox location.
    const handler = loadFunctions({
      GOOGLE_CLOUD_PROJECT: 'demo-functions',
      SKEIN_FEDERATION_PROJECT: 'weather',
    }).csvStats;
    const { data, attributes } = questionMessage();
    const event = cloudEventOf(
      jsonMessage({ data, attributes: { ...attributes, recipient: 'skein-examples/csv-stats:0.1.0' } }),
    );

    // Act
    const handling = handler(event);

    // Assess
    await expect(handling).rejects.toMatchObject({ name: RedeliveryRequested.name });
    await expect(handler(event)).rejects.toThrow('/env/SKEIN_FEDERATION_MAILBOX_ROOT');
  });
});

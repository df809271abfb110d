// A configured service's federation: the options that enable and place it, and a service wired from its
// configuration (as `skein start` and the functions' composition roots wire theirs) storing received messages.
import { federationMailboxRoot, resolveServiceConfiguration } from '../../../src/core/config';
import type { ConfigurationEnvironment } from '../../../src/core/config';
import { InvalidServiceConfiguration } from '../../../src/errors';
import { federationForService } from '../../../src/federation';
import type { FederatedAnalysis } from '../../../src/federation';
import { encodeContext } from '../../../src/federation/context';
import { Child } from '../../../src/service/child';
import { serviceFromConfiguration } from '../../../src/service';
import type { RunnerOptions } from '../../../src/service';
import { waitFor } from '../service/helpers';
import type { FederationNetwork } from './helpers';
import { AGGREGATOR, MAILBOX_ROOT, NORTH } from './helpers';
import { CONTEXT, drive, Peers } from './peers';

const IDENTITY = { OCTUE_SERVICE_NAMESPACE: 'fed', OCTUE_SERVICE_NAME: 'north', OCTUE_SERVICE_REVISION_TAG: '1.0.0' };

function configure(env: ConfigurationEnvironment): ReturnType<typeof resolveServiceConfiguration>['configuration'] {
  return resolveServiceConfiguration({ env: { ...IDENTITY, ...env }, cwd: '/' }).configuration;
}

describe('Function: federationMailboxRoot', () => {
  it.each([
    [{ SKEIN_FEDERATION_MAILBOX_ROOT: 'gs://mail/fed/' }, 'gs://mail/fed'],
    [
      { SKEIN_CLAIMS_LOCATION: 'gs://claims-b/.skein/claims/fed/north', SKEIN_OUTPUT_LOCATION: 'gs://out-b/x' },
      'gs://claims-b/.skein/federation',
    ],
    [{ SKEIN_OUTPUT_LOCATION: 'gs://out-b/fed/north' }, 'gs://out-b/.skein/federation'],
    [{}, undefined],
  ])('places the mailboxes for %j at %s', (env, expected) => {
    // Act
    const root = federationMailboxRoot(configure(env));

    // Assess
    expect(root).toBe(expected);
  });

  it('refuses a federation project that is not a short name, pointing at its variable', () => {
    // Act
    const resolving = (): unknown => configure({ SKEIN_FEDERATION_PROJECT: 'my project/..' });

    // Assess
    expect(resolving).toThrow(InvalidServiceConfiguration);
    expect(resolving).toThrow('/env/SKEIN_FEDERATION_PROJECT');
  });
});

describe('Function: federationForService', () => {
  let network: FederationNetwork;
  let peers: Peers;

  beforeEach(async () => {
    peers = await Peers.start();
    network = peers.network;
  });

  afterEach(() => peers.close());

  /**
   * Serves north as `skein start` serves a configured service: federation wired from its configuration (with the
   * test mailbox root and federation's clock manual), its routes and extensions handed to the service.
   */
  async function serveConfiguredNorth(
    env: ConfigurationEnvironment,
    runner: Omit<Partial<RunnerOptions>, 'analysisExtensions'>,
  ): Promise<{ federation: ReturnType<typeof federationForService>; stop: () => Promise<void> }> {
    const configuration = configure({
      SKEIN_FEDERATION_PROJECT: 'weather',
      SKEIN_FEDERATION_MAILBOX_ROOT: MAILBOX_ROOT,
      ...env,
    });
    const placed = { configuration, serviceId: NORTH, transport: network.transport, objectStore: network.store };
    const federation = federationForService({ ...placed, clock: peers.clock });
    const service = serviceFromConfiguration({
      ...placed,
      runnerOptions: { ...runner, analysisExtensions: federation.analysisExtensions },
      eventRoutes: federation.eventRoutes,
    });
    const controller = new AbortController();
    let served: Promise<void> = Promise.resolve();
    await new Promise<void>((ready, failed) => {
      served = service.serve({ signal: controller.signal, onReady: () => ready() }).catch(failed);
    });
    return {
      federation,
      stop: async () => {
        controller.abort();
        await served;
      },
    };
  }

  it('leaves federation off without a federation project', () => {
    // Act
    const federation = federationForService({
      configuration: configure({ SKEIN_CLAIMS_LOCATION: 'gs://claims-b/c' }),
      serviceId: NORTH,
      transport: network.transport,
      objectStore: network.store,
    });

    // Assess
    expect(federation).toEqual({ mailboxRoot: undefined, analysisExtensions: [], eventRoutes: [] });
  });

  it('refuses to enable federation with no bucket to keep mailboxes in, naming the mailbox root variable', () => {
    // Act
    const enabling = (): unknown =>
      federationForService({
        configuration: configure({ SKEIN_FEDERATION_PROJECT: 'weather' }),
        serviceId: NORTH,
        transport: network.transport,
        objectStore: network.store,
      });

    // Assess
    expect(enabling).toThrow(InvalidServiceConfiguration);
    expect(enabling).toThrow('/env/SKEIN_FEDERATION_MAILBOX_ROOT');
  });

  it('wires a configured service so that messages sent to it are stored in its mailbox and acknowledged', async () => {
    // Prepare: north is served as skein start serves a configured service; the aggregator joins directly.
    const { federation, stop } = await serveConfiguredNorth({}, { app: async () => undefined, twine: {} });
    await peers.serve(AGGREGATOR);
    const aggregator = await peers.join(AGGREGATOR);
    const north = await peers.join(NORTH);

    // Act
    const sending = aggregator.sendMessage([NORTH], 'round', { estimate: 2 });
    await waitFor(() => peers.events({ skein_federation_event: 'ack', sender: NORTH }).length === 1, 'an ack');
    const sent = await sending;
    await stop();

    // Assess
    expect(federation.mailboxRoot).toBe(MAILBOX_ROOT);
    expect(sent).toMatchObject({ acknowledged: [NORTH], notAcknowledged: [] });
    expect((await north.getMessages('all')).map((stored) => stored.body)).toEqual([{ estimate: 2 }]);
  });

  it.each([
    [{}, 510_000],
    [{ SKEIN_FEDERATION_RUN_DEADLINE_SECONDS: '60' }, 30_000],
  ])('ends an unbounded wait at the configured run deadline minus the margin (%j)', async (env, expectedMs) => {
    // Prepare: north's app waits for a message that never comes, with no timeout; only federation's clock is manual.
    const { stop } = await serveConfiguredNorth(env, {
      app: async (analysis) => {
        const started = peers.clock.now().getTime();
        const received = await (analysis as FederatedAnalysis).federation?.awaitMessages([AGGREGATOR], 'round');
        analysis.outputValues = { waitedMs: peers.clock.now().getTime() - started, received };
      },
      twine: { output_values_schema: { type: 'object' } },
    });
    const child = new Child({ id: NORTH, transport: network.transport, objectStore: network.store });

    // Act: north is asked into the analysis as the aggregator would ask it.
    const asking = child.ask({ extensionAttributes: encodeContext(CONTEXT), timeout: 60 });
    const { answer } = await drive(asking, peers.clock, 10_000);
    await child.close();
    await stop();

    // Assess
    expect((answer as { outputValues: unknown }).outputValues).toEqual({
      waitedMs: expectedMs,
      received: { [AGGREGATOR]: null },
    });
  });
});

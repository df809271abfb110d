import type { ReceivedMessage } from '../../../src/core/ports/transport';
import { createFederationRuntime, Federation } from '../../../src/federation';
import type { FederationContext } from '../../../src/federation';
import { resolveFederationOptions } from '../../../src/federation/options';
import type { FederationOptions } from '../../../src/federation/options';
import { Service } from '../../../src/service';
import { ManualClock } from '../service/helpers';
import { AGGREGATOR, FederationNetwork, MAILBOX_ROOT, NORTH, SOUTH } from './helpers';

export const ANALYSIS_ID = 'analysis-1';

export const CONTEXT: FederationContext = {
  analysisId: ANALYSIS_ID,
  projectId: 'weather',
  participants: [
    { nodeId: AGGREGATOR, nodeType: 'aggregator' },
    { nodeId: NORTH, nodeType: 'default' },
    { nodeId: SOUTH, nodeType: 'default' },
  ],
};

/**
 * Participants of one analysis joined directly (without questions), each served by a Service whose only job is its
 * federation route, all on a manual clock; plus a spy on every federation event published.
 */
export class Peers {
  readonly clock = new ManualClock();
  readonly published: ReceivedMessage[] = [];
  private readonly stops: AbortController[] = [];
  private readonly serving: Promise<void>[] = [];

  constructor(readonly network: FederationNetwork) {}

  /**
   * Starts a network and peers over it, as every peers test's set-up does.
   * @param options - The network's options.
   * @param spy - Whether to record federation events (some tests only need the network).
   * @returns The peers; their network is {@link Peers.network}.
   */
  static async start(options: ConstructorParameters<typeof FederationNetwork>[0] = {}, spy = true): Promise<Peers> {
    const peers = new Peers(await new FederationNetwork(options).start());
    if (spy) await peers.spy();
    return peers;
  }

  /** Starts spying on federation events. */
  async spy(): Promise<void> {
    await this.network.transport.createSubscription({ name: 'federation-spy' });
    await this.network.transport.subscribe('federation-spy', (message) => {
      if (message.attributes.skein_federation_event !== undefined) this.published.push(message);
    });
  }

  /** The options one participant uses. */
  options(serviceId: string, extra: Partial<FederationOptions> = {}): FederationOptions {
    return Object.assign(
      {
        serviceId,
        transport: this.network.transport,
        objectStore: this.network.storeOf(serviceId),
        mailboxRoot: MAILBOX_ROOT,
        projectId: 'weather',
        clock: this.clock,
      },
      extra,
    );
  }

  /** Serves a participant's federation route (a killed node is simply never served). */
  async serve(serviceId: string, extra: Partial<FederationOptions> = {}): Promise<void> {
    const runtime = createFederationRuntime(this.options(serviceId, extra));
    const service = new Service({
      serviceId,
      transport: this.network.transport,
      runFunction: async () => ({}),
      eventRoutes: [runtime.eventRoute],
    });
    const controller = new AbortController();
    this.stops.push(controller);
    await new Promise<void>((ready, failed) => {
      this.serving.push(service.serve({ signal: controller.signal, onReady: () => ready() }).catch(failed));
    });
  }

  /** Joins a participant to {@link CONTEXT} (as a new process would: a fresh instance over the same mailbox). */
  join(serviceId: string, extra: Partial<FederationOptions> = {}): Promise<Federation> {
    const role = serviceId === AGGREGATOR ? 'aggregator' : 'default';
    return Federation.join({
      options: resolveFederationOptions(this.options(serviceId, extra)),
      context: CONTEXT,
      role,
    });
  }

  /** Federation events published with these attributes. */
  events(match: Record<string, string>): ReceivedMessage[] {
    return this.published.filter((message) =>
      Object.entries(match).every(([key, value]) => message.attributes[key] === value),
    );
  }

  async stop(): Promise<void> {
    for (const controller of this.stops) controller.abort();
    await Promise.all(this.serving);
  }

  /** Stops serving, then closes the network (the served routes use it until they stop). */
  async close(): Promise<void> {
    await this.stop();
    await this.network.close();
  }
}

/**
 * Advances the manual clock in steps until the promise settles, but only while the federation is blocked in a wait
 * (its poll and deadline timers both set), never while it does I/O: the outcome depends only on manual time, never
 * on how fast the machine is.
 * @param promise - What to drive.
 * @param clock - The manual clock.
 * @param stepMs - Manual time per step.
 * @returns The promise's value.
 */
export async function drive<T>(promise: Promise<T>, clock: ManualClock, stepMs = 1000): Promise<T> {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  tracked.catch(() => undefined);
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (!settled && clock.activeTimers >= 2) clock.tick(stepMs);
  }
  return tracked;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InMemoryBroker } from '../../../src/cloud/memory/in-memory-broker';
import type { DuplicateDeliveries } from '../../../src/cloud/memory/in-memory-broker';
import { InMemoryTransport } from '../../../src/cloud/memory/in-memory-transport';
import { LocalObjectStore } from '../../../src/cloud/storage/local-object-store';
import { createFederationRuntime } from '../../../src/federation';
import type { FederatedAnalysis, FederationOptions } from '../../../src/federation';
import { Runner, Service } from '../../../src/service';
import type { Clock } from '../../../src/service';
import { Child, childFactory } from '../../../src/service/child';

export const TOPIC = 'fed.octue.twined.services';
export const AGGREGATOR = 'fed/aggregator:1.0.0';
export const NORTH = 'fed/north:1.0.0';
export const SOUTH = 'fed/south:1.0.0';
export const PARENT = 'fed/parent:1.0.0';
export const MAILBOX_ROOT = 'gs://federation-test/.skein/federation';

/** A federated app: receives the analysis with `federation` and `startFederation`. */
export type FederatedApp = (analysis: FederatedAnalysis) => unknown;

/** Options every service of a test network shares (apart from identity and ports). */
export type SharedFederationOptions = Partial<Omit<FederationOptions, 'serviceId' | 'transport' | 'objectStore'>>;

/**
 * An in-memory federation: real Services answering over one InMemoryTransport, sharing one LocalObjectStore, with
 * federation routes and analysis extensions, and a parent asking the aggregator.
 */
export class FederationNetwork {
  readonly broker: InMemoryBroker;
  readonly transport: InMemoryTransport;
  readonly root = mkdtempSync(join(tmpdir(), 'skein-federation-'));
  /** One bucket directory shared by every participant, as FLAME's hub bucket is (global data needs it). */
  readonly store = new LocalObjectStore({ root: join(this.root, 'storage') });
  private readonly stops: AbortController[] = [];
  private readonly serving: Promise<void>[] = [];
  private readonly children: Child[] = [];

  constructor(options: { duplicateDeliveries?: DuplicateDeliveries } = {}) {
    this.broker = new InMemoryBroker({ minBackoffMs: 1, maxBackoffMs: 5, ...options });
    this.transport = new InMemoryTransport({ topicName: TOPIC, broker: this.broker });
  }

  async start(): Promise<this> {
    await this.transport.ensureTopic();
    return this;
  }

  /** The object store of one service (the shared one; each keeps its mailbox in its own directory). */
  storeOf(_serviceId: string): LocalObjectStore {
    return this.store;
  }

  /** Serves a federated service running `app`, with children `{key: sruid}`. */
  async serve(
    serviceId: string,
    app: FederatedApp,
    options: {
      children?: Record<string, string>;
      federation?: SharedFederationOptions;
      twineExtras?: Record<string, unknown>;
      /** The clock the service's children (the nodes' questions) run their timeouts and heartbeat watchdogs on. */
      childClock?: Clock;
    } = {},
  ): Promise<void> {
    const keys = Object.keys(options.children ?? {});
    const federation = createFederationRuntime(
      Object.assign(
        { serviceId, transport: this.transport, objectStore: this.storeOf(serviceId), mailboxRoot: MAILBOX_ROOT },
        { projectId: 'weather' },
        options.federation,
      ),
    );
    const runner = new Runner({
      app: app as never,
      // Nodes take no input values (their questions carry only the federation context); the aggregator takes any.
      twine: Object.assign(
        { children: keys.map((key) => ({ key })) },
        keys.length > 0 ? { input_values_schema: {}, output_values_schema: {} } : {},
        options.twineExtras,
      ),
      children: keys.map((key) => ({
        key,
        id: options.children?.[key] as string,
        backend: { name: 'GCPPubSubBackend', project_id: 'p' },
      })),
      childFactory: childFactory(
        Object.assign(
          { transport: this.transport, objectStore: this.store, answerSubscriptionLingerMs: 0 },
          options.childClock === undefined ? {} : { clock: options.childClock },
        ),
      ),
      objectStore: this.store,
      serviceId,
      analysisExtensions: [federation.analysisExtension],
    });
    const service = new Service({ serviceId, transport: this.transport, runner, eventRoutes: [federation.eventRoute] });
    const controller = new AbortController();
    this.stops.push(controller);
    await new Promise<void>((ready, failed) => {
      // When a test fails early, a node may still wait (up to its run deadline) for an acknowledgement from a service
      // that has already stopped: teardown then gives up on it instead of hanging. Passing tests never rely on this.
      this.serving.push(
        service.serve({ signal: controller.signal, onReady: () => ready(), stopGracePeriodMs: 2000 }).catch(failed),
      );
    });
  }

  /** Asks the aggregator a question from the parent and returns its output values. */
  async ask(inputValues: unknown = {}, id = AGGREGATOR): Promise<unknown> {
    const child = new Child({
      id,
      transport: this.transport,
      objectStore: this.store,
      parentSruid: PARENT,
      answerSubscriptionLingerMs: 0,
    });
    this.children.push(child);
    const { answer } = await child.ask({ inputValues, timeout: 60 });
    return (answer as { outputValues?: unknown }).outputValues;
  }

  async close(): Promise<void> {
    await Promise.all(this.children.map((child) => child.close()));
    for (const controller of this.stops) controller.abort();
    await Promise.all(this.serving);
    await this.transport.close();
    this.broker.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

// Shared set-up of the robustness tests (robustness-*.test.ts): a fresh services topic on the Pub/Sub emulator per
// test, services served in this process or in another one (processes/robust-service.js), and an observer that sees
// every message published on the topic, as the emulator holds it, through the official client.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { PubSub } from '@google-cloud/pubsub';
import type { Message, Subscription } from '@google-cloud/pubsub';

import { PubSubTransport } from '../../../src/cloud/pubsub';
import type { Service } from '../../../src/service';
import { emulatorHost } from '../../helpers/pubsub-emulator-host';
import { waitFor as waitUntil } from '../../helpers/wait-for';

export const PROJECT_ID = 'demo-skein';
export const PARENT = 'acme/robust-parent:1.0.0';

/** Every wait in these tests ends after this long, so a broken path fails instead of hanging the run. */
export const WAIT_LIMIT_MS = 20_000;

/** Waits until `predicate` holds, polling; fails with `what` in the message after {@link WAIT_LIMIT_MS}. */
export function waitFor(predicate: () => boolean, what: string): Promise<void> {
  return waitUntil(predicate, what, WAIT_LIMIT_MS);
}

/** A fresh services topic with a transport on it and an admin client (the official one) for raw operations. */
export class TestTopic {
  readonly name = `skein-robust-${randomUUID()}`;
  readonly transport = new PubSubTransport({
    projectId: PROJECT_ID,
    topicName: this.name,
    apiEndpoint: emulatorHost(),
  });
  readonly admin = new PubSub({ projectId: PROJECT_ID, apiEndpoint: emulatorHost() });
  private readonly publisher = this.admin.topic(this.name, { messageOrdering: true });

  /** Creates the topic. */
  async create(): Promise<this> {
    await this.transport.ensureTopic();
    return this;
  }

  /**
   * Publishes a message with the raw client, bypassing every check Skein makes.
   * @param message - Data, attributes and ordering key.
   * @returns The message id.
   */
  publishRaw(message: { data: Buffer; attributes: Record<string, string>; orderingKey?: string }): Promise<string> {
    return this.publisher.publishMessage(message);
  }

  /** @returns Whether the subscription exists. */
  async subscriptionExists(name: string): Promise<boolean> {
    const [exists] = await this.admin.subscription(name).exists();
    return exists;
  }

  /** Deletes the topic and closes the clients. */
  async dispose(): Promise<void> {
    await this.transport.close();
    await this.admin
      .topic(this.name)
      .delete()
      .catch(() => undefined);
    await this.admin.close();
  }
}

/**
 * A raw subscription (ordered, unfiltered) that records every message it is given and acknowledges it: it sees
 * what was really published on the topic, in publish order per ordering key.
 */
export class RawReader {
  readonly messages: Message[] = [];
  private constructor(private readonly subscription: Subscription) {}

  /**
   * Opens a new subscription on the topic and starts reading it.
   * @param topic - The topic.
   * @returns The reader.
   */
  static async open(topic: TestTopic): Promise<RawReader> {
    const [subscription] = await topic.admin
      .topic(topic.name)
      .createSubscription(`raw-reader-${randomUUID()}`, { enableMessageOrdering: true });
    return RawReader.read(subscription);
  }

  /**
   * Reads an existing subscription (e.g. a service's, after the service stopped).
   * @param subscription - The subscription.
   * @returns The reader.
   */
  static read(subscription: Subscription): RawReader {
    const reader = new RawReader(subscription);
    subscription.on('message', (message: Message) => {
      reader.messages.push(message);
      message.ack();
    });
    subscription.on('error', () => undefined);
    return reader;
  }

  /** The subscription's full name (`projects/…/subscriptions/…`). */
  get subscriptionName(): string {
    return this.subscription.name;
  }

  /**
   * Waits for the message with this id. With an ordering key, every message published before it under the same key
   * has been delivered by then (a message left unacknowledged would hold it back).
   * @param id - The message id the publisher was given.
   */
  async waitForMessage(id: string): Promise<void> {
    await waitFor(() => this.messages.some((message) => message.id === id), `the message ${id}`);
  }

  /**
   * Reads everything published under `orderingKey` so far, then stops: publishes a sentinel on the key, waits for it
   * (every earlier message on the key has been delivered by then) and closes.
   * @param topic - The topic the reader's subscription is on.
   * @param orderingKey - The key, e.g. a question's UUID.
   * @returns The sentinel's message id (the reader has recorded it too).
   */
  async readThrough(topic: TestTopic, orderingKey: string): Promise<string> {
    const sentinel = await topic.publishRaw({ data: Buffer.from('sentinel'), attributes: {}, orderingKey });
    await this.waitForMessage(sentinel);
    await this.close();
    return sentinel;
  }

  /** Stops reading and deletes the subscription. */
  async close(): Promise<void> {
    await this.subscription.close();
    await this.subscription.delete().catch(() => undefined);
  }
}

/** A service served in this process. */
export interface ServedService {
  /** The service's subscription. */
  readonly subscriptionName: string;
  /** Stops serving; resolves once `serve` has returned (answers in flight are finished first). */
  stop(): Promise<void>;
}

/**
 * Serves a service in this process until `stop` is called.
 * @param service - The service.
 * @param options - Whether its subscription is deleted when it stops (default true).
 * @returns Once the subscription is live.
 */
export async function serveInProcess(
  service: Service,
  options: { deleteSubscriptionOnExit?: boolean } = {},
): Promise<ServedService> {
  const controller = new AbortController();
  let ready!: (name: string) => void;
  const isReady = new Promise<string>((resolve) => {
    ready = resolve;
  });
  const serving = service.serve({
    signal: controller.signal,
    deleteSubscriptionOnExit: options.deleteSubscriptionOnExit ?? true,
    onReady: (name) => ready(name),
  });
  const subscriptionName = await Promise.race([isReady, serving.then(() => '')]);
  if (subscriptionName === '') throw new Error(`${service.toString()} stopped before it was ready.`);
  return {
    subscriptionName,
    stop: async () => {
      controller.abort();
      await serving;
    },
  };
}

const SCRIPT = join(__dirname, 'processes', 'robust-service.js');

/** A service served by a script under processes/ (robust-service.js by default) in its own Node process (against dist/). */
export class ServiceProcess {
  private readonly process: ChildProcess;
  private stderr = '';
  private stdout = '';
  /** Resolves once the process printed READY. */
  readonly ready: Promise<void>;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;

  /**
   * @param topic - The services topic.
   * @param serviceId - The SRUID it serves.
   * @param env - Its `SKEIN_TEST_*` settings (see the script).
   * @param script - The script to run.
   */
  constructor(topic: string, serviceId: string, env: Record<string, string>, script: string = SCRIPT) {
    this.process = spawn(process.execPath, [script], {
      env: {
        ...process.env,
        SKEIN_TEST_PROJECT: PROJECT_ID,
        SKEIN_TEST_TOPIC: topic,
        SKEIN_TEST_SERVICE_ID: serviceId,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.exited = new Promise((resolve) => this.process.once('exit', (code) => resolve(code)));
    this.process.stdout?.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString('utf8');
    });
    this.ready = new Promise((resolve, reject) => {
      this.process.stdout?.on('data', () => {
        if (this.stdout.includes('READY\n')) resolve();
      });
      void this.exited.then((code) =>
        reject(new Error(`The ${serviceId} process exited (${String(code)}) before it was ready:\n${this.stderr}`)),
      );
    });
  }

  /** What the process wrote to stdout so far (READY, STARTED <question uuid>, …). */
  get output(): string {
    return this.stdout;
  }

  /** What the process wrote to stderr so far. */
  get errorOutput(): string {
    return this.stderr;
  }

  /**
   * Asks the process to stop (SIGTERM) and waits for it to exit; if it has not exited after {@link WAIT_LIMIT_MS}
   * it is killed and this fails.
   * @returns The exit code.
   */
  async stop(): Promise<number | null> {
    if (this.process.exitCode !== null) return this.process.exitCode;
    this.process.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'hung'>((resolve) => {
      timer = setTimeout(() => resolve('hung'), WAIT_LIMIT_MS);
    });
    const outcome = await Promise.race([this.exited, limit]);
    clearTimeout(timer);
    if (outcome === 'hung') {
      this.process.kill('SIGKILL');
      await this.exited;
      throw new Error(`The service process did not exit after SIGTERM:\n${this.stderr}`);
    }
    return outcome;
  }

  /** Kills the process if it still runs (teardown after a failure). */
  async kill(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGKILL');
    await this.exited;
  }
}

import { PubSub } from '@google-cloud/pubsub';
import type { ClientConfig, CreateSubscriptionOptions, SubscriptionMetadata } from '@google-cloud/pubsub';

import { subscriptionOptions } from '../pubsub/subscription-settings';
import { SUBSCRIPTION_UPDATE_MASK } from './subscription-mask';
import { errorStatus, isNotFound, requestFailed } from './request-errors';

const GRPC_ALREADY_EXISTS = 6;

/** A filtered push subscription to create or update (the shape of the deploy port's `PushSubscriptionSpec`). */
export interface PushSubscriptionRequest {
  readonly name: string;
  readonly topic: string;
  readonly filter: Readonly<Record<string, string>>;
  readonly pushEndpoint: string;
  readonly pushAuthentication: { readonly serviceAccountEmail: string; readonly audience: string };
  readonly ackDeadlineSeconds: number;
  readonly labels: Readonly<Record<string, string>>;
}

/** What is read back about a subscription (the shape of the deploy port's `DeployedSubscription`). */
export interface SubscriptionInfo {
  readonly name: string;
  readonly topic: string;
  readonly filter: string;
  readonly pushEndpoint: string | undefined;
  readonly pushServiceAccountEmail: string | undefined;
  readonly pushAudience: string | undefined;
  readonly ackDeadlineSeconds: number | undefined;
}

/** Options for {@link GooglePubSubAdmin}. */
export interface GooglePubSubAdminOptions {
  /** The project (the emulator is used when `PUBSUB_EMULATOR_HOST` is set, as the client does by itself). */
  readonly projectId: string;
  /** Further client settings (endpoint, credentials). */
  readonly clientConfig?: Omit<ClientConfig, 'projectId'>;
}

/**
 * Topic and subscription administration through `@google-cloud/pubsub`, with full resource names. Subscriptions get
 * Octue's settings (ordered delivery, 600 s ack deadline and retention, retry backoff 10–600 s, never expiring) plus an
 * OIDC-authenticated push config. Client errors become `DeployRequestFailed`; "not found" becomes `undefined`/`false`.
 */
export class GooglePubSubAdmin {
  private readonly client: PubSub;

  /** @param options - The project and client settings. */
  constructor(options: GooglePubSubAdminOptions) {
    this.client = new PubSub({ ...options.clientConfig, projectId: options.projectId });
  }

  /** Whether the topic exists. */
  async topicExists(topic: string): Promise<boolean> {
    try {
      await this.client.topic(topic).getMetadata();
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw requestFailed('pubsub', 'GetTopic', topic, error);
    }
  }

  /** Creates the topic; one created meanwhile by someone else is fine. */
  async createTopic(topic: string): Promise<void> {
    try {
      await this.client.createTopic(topic);
    } catch (error) {
      if (errorStatus(error) === GRPC_ALREADY_EXISTS) return;
      throw requestFailed('pubsub', 'CreateTopic', topic, error);
    }
  }

  /** Deletes the topic; `false` when it did not exist. */
  async deleteTopic(topic: string): Promise<boolean> {
    return this.deleteResource('DeleteTopic', topic, () => this.client.topic(topic).delete());
  }

  /** Reads a subscription; `undefined` when it does not exist. */
  async getSubscription(name: string): Promise<SubscriptionInfo | undefined> {
    try {
      const [metadata] = await this.client.subscription(name).getMetadata();
      const push = metadata.pushConfig;
      return {
        name: metadata.name ?? name,
        topic: metadata.topic ?? '',
        filter: metadata.filter ?? '',
        pushEndpoint: push?.pushEndpoint || undefined,
        pushServiceAccountEmail: push?.oidcToken?.serviceAccountEmail || undefined,
        pushAudience: push?.oidcToken?.audience || undefined,
        ackDeadlineSeconds: metadata.ackDeadlineSeconds ?? undefined,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw requestFailed('pubsub', 'GetSubscription', name, error);
    }
  }

  /** Creates the push subscription on its topic. */
  async createSubscription(spec: PushSubscriptionRequest): Promise<void> {
    try {
      await this.client.topic(spec.topic).createSubscription(spec.name, creationOptions(spec));
    } catch (error) {
      throw requestFailed('pubsub', 'CreateSubscription', spec.name, error);
    }
  }

  /** Updates the fields in {@link SUBSCRIPTION_UPDATE_MASK} (the client derives the mask from the keys it is given). */
  async updateSubscription(spec: PushSubscriptionRequest): Promise<void> {
    const options = creationOptions(spec) as Record<string, unknown>;
    // The client turns the keys back into snake_case for the update mask, so this sends exactly the mask.
    const update = Object.fromEntries(
      SUBSCRIPTION_UPDATE_MASK.map((path) => {
        const key = path.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
        return [key, options[key]];
      }),
    ) as SubscriptionMetadata;
    try {
      await this.client.subscription(spec.name).setMetadata(update);
    } catch (error) {
      throw requestFailed('pubsub', 'UpdateSubscription', spec.name, error);
    }
  }

  /** Deletes the subscription; `false` when it did not exist. */
  async deleteSubscription(name: string): Promise<boolean> {
    return this.deleteResource('DeleteSubscription', name, () => this.client.subscription(name).delete());
  }

  /** Closes the client. */
  async close(): Promise<void> {
    await this.client.close();
  }

  private async deleteResource(operation: string, name: string, remove: () => Promise<unknown>): Promise<boolean> {
    try {
      await remove();
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw requestFailed('pubsub', operation, name, error);
    }
  }
}

function creationOptions(spec: PushSubscriptionRequest): CreateSubscriptionOptions {
  const base = subscriptionOptions({
    name: spec.name,
    filter: spec.filter,
    pushEndpoint: spec.pushEndpoint,
    ackDeadlineSeconds: spec.ackDeadlineSeconds,
  });
  return {
    ...base,
    pushConfig: {
      pushEndpoint: spec.pushEndpoint,
      oidcToken: { ...spec.pushAuthentication },
    },
    labels: { ...spec.labels },
  };
}

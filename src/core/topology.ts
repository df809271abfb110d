import { InvalidResourceName } from '../errors';
import type { SubscriptionSpec } from './ports/transport';
import { toPubSubForm, validateSruid } from './service-id';

/**
 * The Pub/Sub topology Octue services share: one topic per service network, a filtered subscription per locally served
 * child, and one filtered answer subscription per question a parent waits on (octue-protocol.md §1.1). Pure naming
 * helpers: nothing here talks to Pub/Sub.
 */

/** Environment variable that names the services topic outright (Octue's `TWINED_SERVICES_TOPIC_NAME`). */
export const SERVICES_TOPIC_ENV = 'TWINED_SERVICES_TOPIC_NAME';

/** The services topic's name without its environment prefix. */
export const SERVICES_TOPIC_BASE_NAME = 'octue.twined.services';

/**
 * The environment used when none is given. Octue's default topic is `main.octue.twined.services`, and its deployment
 * workflows default to the `main` environment, so `main` keeps Skein on the topic Octue peers use by default.
 */
export const DEFAULT_SERVICES_ENVIRONMENT = 'main';

/** The middle part of answer subscription names (`<parent>.answers.<question uuid>`), as in Octue. */
export const ANSWERS_NAMESPACE = 'answers';

/** Answer subscriptions expire after 31 idle days (Octue's default expiration policy); child subscriptions never do. */
export const ANSWER_SUBSCRIPTION_TTL_SECONDS = 31 * 24 * 3600;

// Pub/Sub's rule for topic and subscription ids: start with a letter, 3–255 characters from the set below, and not
// starting with `goog` (reserved by Google).
const RESOURCE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
// An environment becomes one dot-separated segment of the topic name, so it cannot contain dots itself.
const ENVIRONMENT_PATTERN = /^[A-Za-z0-9\-_~+%]+$/;

/**
 * Checks a topic or subscription id against Pub/Sub's naming rules, so a bad name fails here with a clear message
 * rather than as an `INVALID_ARGUMENT` from the service.
 * @param kind - `topic` or `subscription`, for the message.
 * @param name - The short id (without `projects/…/topics/`).
 * @throws InvalidResourceName when the name breaks the rules.
 */
export function validateResourceName(kind: 'topic' | 'subscription', name: string): void {
  if (!RESOURCE_NAME_PATTERN.test(name) || name.toLowerCase().startsWith('goog')) {
    throw new InvalidResourceName(kind, name);
  }
}

/** Inputs to {@link resolveServicesTopicName}. */
export interface ResolveServicesTopicNameParams {
  /** The environment to read `TWINED_SERVICES_TOPIC_NAME` from: `process.env` in entry points, an object in tests. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The service network's environment, e.g. `main` or `staging`; default {@link DEFAULT_SERVICES_ENVIRONMENT}. */
  readonly environment?: string;
}

/**
 * Names the one topic every event travels on. The rule: a non-empty `TWINED_SERVICES_TOPIC_NAME` is used verbatim
 * (it wins over `environment`, as it does for Octue, whose deployed jobs get it from terraform); otherwise the name is
 * `<environment>.octue.twined.services` with `environment` defaulting to `main`, which gives Octue's default
 * `main.octue.twined.services` and matches the `<environment>.octue.twined.services` topics terraform creates.
 * @param params - The environment variables and the optional environment name.
 * @returns The topic's short name.
 * @throws InvalidResourceName when the variable or the environment gives a name Pub/Sub would refuse.
 */
export function resolveServicesTopicName(params: ResolveServicesTopicNameParams): string {
  const fromEnv = params.env[SERVICES_TOPIC_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    validateResourceName('topic', fromEnv);
    return fromEnv;
  }
  const environment = params.environment ?? DEFAULT_SERVICES_ENVIRONMENT;
  if (!ENVIRONMENT_PATTERN.test(environment)) {
    throw new InvalidResourceName(
      'topic',
      `${environment}.${SERVICES_TOPIC_BASE_NAME}`,
      `The environment '${environment}' cannot prefix the services topic: use letters, digits, '-', '_', '~', '+' ` +
        "or '%' (no dots).",
    );
  }
  const name = `${environment}.${SERVICES_TOPIC_BASE_NAME}`;
  validateResourceName('topic', name);
  return name;
}

/**
 * The subscription a locally served child pulls its questions from: named after the child's SRUID in Pub/Sub form
 * (`acme/child:2.1.0` → `acme.child.2-1-0`), filtered to questions addressed to it, never expiring.
 * @param childSruid - The child's SRUID, e.g. `acme/child:2.1.0`.
 * @returns The subscription to create.
 * @throws InvalidServiceID when `childSruid` is not a full SRUID.
 * @throws InvalidResourceName when the resulting name is not a valid Pub/Sub name.
 */
export function childSubscription(childSruid: string): SubscriptionSpec {
  validateSruid(childSruid);
  const name = toPubSubForm(childSruid);
  validateResourceName('subscription', name);
  return { name, filter: { recipient: childSruid, sender_type: 'PARENT' } };
}

/** Inputs to {@link answerSubscription}. */
export interface AnswerSubscriptionParams {
  /** The asking (parent) service's SRUID. */
  readonly parentSruid: string;
  /** The question's uuid; also the events' ordering key. */
  readonly questionUuid: string;
  /** Push answers to this URL instead of pulling them. */
  readonly pushEndpoint?: string;
}

/**
 * The subscription a parent receives one question's answer events on: `<parent pubsub id>.answers.<question uuid>`,
 * filtered to child events for that question addressed to the parent, expiring after 31 idle days.
 * @param params - The parent's SRUID, the question uuid and an optional push endpoint.
 * @returns The subscription to create.
 * @throws InvalidServiceID when `parentSruid` is not a full SRUID.
 * @throws InvalidResourceName when the resulting name is not a valid Pub/Sub name (e.g. an odd question uuid).
 */
export function answerSubscription(params: AnswerSubscriptionParams): SubscriptionSpec {
  const { parentSruid, questionUuid, pushEndpoint } = params;
  validateSruid(parentSruid);
  const name = [toPubSubForm(parentSruid), ANSWERS_NAMESPACE, questionUuid].join('.');
  if (questionUuid === '') throw new InvalidResourceName('subscription', name, 'The question uuid is empty.');
  validateResourceName('subscription', name);
  return {
    name,
    filter: { recipient: parentSruid, question_uuid: questionUuid, sender_type: 'CHILD' },
    expirationTtlSeconds: ANSWER_SUBSCRIPTION_TTL_SECONDS,
    ...(pushEndpoint === undefined ? {} : { pushEndpoint }),
  };
}

/**
 * The one pull subscription a parent process's `Child` receives all its synchronous answers on:
 * `<parent pubsub id>.answers.<listener id>`, filtered to child events addressed to the parent (any question; the
 * receiver routes by `question_uuid`), expiring after 31 idle days so an abandoned one disappears. `listenerId` must be
 * unique per listener (e.g. a random UUID): two processes sharing one subscription would compete for its messages.
 * @param parentSruid - The parent's SRUID.
 * @param listenerId - A unique id for this listener.
 * @returns The subscription to create.
 * @throws InvalidServiceID when `parentSruid` is not a full SRUID.
 * @throws InvalidResourceName when `listenerId` is empty or the name is not a valid Pub/Sub name.
 */
export function sharedAnswerSubscription(parentSruid: string, listenerId: string): SubscriptionSpec {
  validateSruid(parentSruid);
  const name = [toPubSubForm(parentSruid), ANSWERS_NAMESPACE, listenerId].join('.');
  if (listenerId === '') throw new InvalidResourceName('subscription', name, 'The listener id is empty.');
  validateResourceName('subscription', name);
  return {
    name,
    filter: { recipient: parentSruid, sender_type: 'CHILD' },
    expirationTtlSeconds: ANSWER_SUBSCRIPTION_TTL_SECONDS,
  };
}

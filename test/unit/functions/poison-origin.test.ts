// Item 5 of the hardening issue: a deployed-style function used to build its service from the first delivery it
// decoded, taking the project and topic from that delivery's push path (or CloudEvent source), before checking that the
// delivery was addressed to it. One poison push to /projects/p/topics/<other> sent every later answer to <other>.
// Here a fresh handler, configured like a deployed function, is sent poison deliveries first, then a valid question.
import { readdirSync } from 'node:fs';

import { InMemoryBroker } from '../../../src/cloud/memory/in-memory-broker';
import { InMemoryTransport } from '../../../src/cloud/memory/in-memory-transport';
import { decodeAttributes, parseEventData } from '../../../src/core/events';
import type { RecordedEvent, ServiceEvent } from '../../../src/core/events';
import { functionHandlers, resolveFunctionSettings } from '../../../src/functions';
import type { DeliveryReport, FunctionHandlers, ServiceBuilder } from '../../../src/functions';
import { createLogger, Runner, Service } from '../../../src/service';
import { SQUARE_TWINE, squareApp } from '../../fixtures/apps/examples';
import { questionMessage, temporaryStore, waitFor } from '../service/helpers';
import { jsonMessage, pushBodyOf, RecordedResponse } from './events';
import type { JsonMessage } from './events';

const CONFIGURED_TOPIC = 'configured.octue.twined.services';
const OTHER_TOPIC = 'other.octue.twined.services';
const FORGED_PATH = `/projects/attacker/topics/${OTHER_TOPIC}`;
const IDENTITY = { namespace: 'acme', name: 'child', revisionTag: '2.1.0' };
const CLAIMS = 'gs://claims-bucket/claims';

let broker: InMemoryBroker;
let received: Record<string, RecordedEvent[]>;
let storage: ReturnType<typeof temporaryStore>;
let builds: number;

/** Everything published on a topic, decoded, as a subscription without a filter sees it. */
async function watch(topicName: string): Promise<void> {
  const transport = new InMemoryTransport({ topicName, broker });
  await transport.ensureTopic();
  await transport.createSubscription({ name: `watch-${topicName}` });
  received[topicName] = [];
  await transport.subscribe(`watch-${topicName}`, (message) => {
    const event = parseEventData(message.data) as ServiceEvent;
    received[topicName]?.push({ event, attributes: decodeAttributes(message.attributes, event.kind) });
  });
}

beforeEach(async () => {
  broker = new InMemoryBroker({ minBackoffMs: 1, maxBackoffMs: 5 });
  received = {};
  storage = temporaryStore();
  builds = 0;
  await watch(CONFIGURED_TOPIC);
  await watch(OTHER_TOPIC);
});

afterEach(() => {
  broker.close();
  storage.cleanup();
});

/** A composition root as in functions/: identity and topic from the environment, the service built on demand. */
function deployedStyleHandlers(): FunctionHandlers {
  const env = { GOOGLE_CLOUD_PROJECT: 'configured', TWINED_SERVICES_TOPIC_NAME: CONFIGURED_TOPIC };
  const builder: ServiceBuilder = {
    serviceId: () => resolveFunctionSettings({ env, identity: IDENTITY }).serviceId,
    build: () => {
      builds += 1;
      const settings = resolveFunctionSettings({ env, identity: IDENTITY });
      return new Service({
        serviceId: settings.serviceId,
        transport: new InMemoryTransport({ topicName: settings.topicName, broker }),
        runner: new Runner({ app: squareApp, twine: SQUARE_TWINE }),
        objectStore: storage.store,
        claimsLocation: CLAIMS,
      });
    },
  };
  return functionHandlers({ service: builder, logger: createLogger() });
}

async function pushTo(handlers: FunctionHandlers, path: string, message: JsonMessage): Promise<DeliveryReport> {
  const response = new RecordedResponse();
  await handlers.http({ body: pushBodyOf(message), path }, response);
  return response.body as DeliveryReport;
}

function forgedCloudEvent(message: JsonMessage): Record<string, unknown> {
  return {
    id: message.messageId,
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: `//pubsub.googleapis.com/projects/attacker/topics/${OTHER_TOPIC}`,
    data: { message, subscription: 'projects/attacker/subscriptions/x' },
  };
}

/** The files the service has written to its object store (claims and anything else): its state. */
function storedFiles(): string[] {
  return readdirSync(storage.root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

describe('Function: functionHandlers (poison deliveries to a fresh, deployed-style function)', () => {
  it('builds nothing and changes no state for poison, then answers a valid question on the configured topic', async () => {
    // Prepare: questions for other services and a child's response, each naming another project and topic.
    const handlers = deployedStyleHandlers();
    const { data, attributes } = questionMessage({ inputValues: { n: 3 } }, { recipient: 'acme/child:2.1.0' });
    const toOther = jsonMessage({ data, attributes: { ...attributes, recipient: 'acme/other:1.0.0' } });
    const aResponse = jsonMessage({ data, attributes: { ...attributes, sender_type: 'CHILD' } });

    // Act: the poison first, as the first deliveries a fresh instance decodes.
    const poison = [
      await pushTo(handlers, FORGED_PATH, toOther),
      await handlers.cloudEvent(forgedCloudEvent(toOther)),
      await handlers.event(toOther, { eventId: '9', resource: `projects/attacker/topics/${OTHER_TOPIC}` }),
      await pushTo(handlers, FORGED_PATH, aResponse),
    ];
    const buildsForPoison = builds;
    const filesAfterPoison = storedFiles();
    // Then a valid question for this service, itself pushed along the forged path.
    const valid = await pushTo(handlers, FORGED_PATH, jsonMessage({ data, attributes }));
    await waitFor(() => (received[CONFIGURED_TOPIC] ?? []).some((e) => e.event.kind === 'result'), 'the result');

    // Assess
    expect(poison.map((report) => [report.status, report.acknowledged])).toEqual([
      ['not-addressed', true],
      ['not-addressed', true],
      ['not-addressed', true],
      ['not-addressed', true],
    ]);
    expect(buildsForPoison).toBe(0);
    expect(filesAfterPoison).toEqual([]);
    expect(storedFiles()).not.toEqual([]);
    expect(valid).toMatchObject({ status: 'answered', acknowledged: true });
    expect(builds).toBe(1);
    const answers = (received[CONFIGURED_TOPIC] ?? []).filter((e) => e.attributes.sender_type === 'CHILD');
    expect(answers.find((e) => e.event.kind === 'result')?.event).toMatchObject({ output_values: { square: 9 } });
    expect(received[OTHER_TOPIC]).toEqual([]);
  });

  it('refuses deliveries while its identity cannot be resolved from configuration, building nothing', async () => {
    // Prepare
    let attempts = 0;
    const handlers = functionHandlers({
      service: {
        serviceId: () => {
          attempts += 1;
          return resolveFunctionSettings({ env: {}, identity: IDENTITY }).serviceId;
        },
        build: () => {
          builds += 1;
          throw new Error('not reached');
        },
      },
      logger: createLogger(),
    });

    // Act
    const report = await pushTo(handlers, FORGED_PATH, jsonMessage(questionMessage()));

    // Assess: no project configured (the one the push path names is never used), so nothing can be answered yet.
    expect(report).toMatchObject({ status: 'unavailable', acknowledged: false });
    expect(report.detail).toContain('GOOGLE_CLOUD_PROJECT');
    expect(attempts).toBe(1);
    expect(builds).toBe(0);
  });

  it('refuses (and forgets) a built service that answers as another SRUID than its builder named', async () => {
    // Prepare
    const handlers = functionHandlers({
      service: {
        serviceId: () => 'acme/child:2.1.0',
        build: () => {
          builds += 1;
          return { id: 'acme/other:1.0.0', answer: () => Promise.reject(new Error('not reached')) };
        },
      },
      logger: createLogger(),
    });

    // Act
    const first = await pushTo(handlers, FORGED_PATH, jsonMessage(questionMessage()));
    const second = await pushTo(handlers, FORGED_PATH, jsonMessage(questionMessage()));

    // Assess
    expect(first).toMatchObject({ status: 'unavailable', acknowledged: false });
    expect(first.detail).toContain("built as 'acme/other:1.0.0'");
    expect(second).toMatchObject({ status: 'unavailable' });
    expect(builds).toBe(2);
  });
});

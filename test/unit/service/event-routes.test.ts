import { InvalidEvent } from '../../../src/errors';
import { Service } from '../../../src/service';
import type { EventRoute, RoutedEvent, RunParams } from '../../../src/service';
import { buildQuestionMessage } from '../../../src/service/child/publish-question';
import { CHILD, MemoryNetwork, PARENT, questionMessage } from './helpers';

let network: MemoryNetwork;

beforeEach(async () => {
  network = await new MemoryNetwork().start();
});

afterEach(async () => {
  await network.close();
});

function recordingRoute(fail = false): EventRoute & { received: RoutedEvent[] } {
  const received: RoutedEvent[] = [];
  return {
    name: 'test-extension',
    received,
    matches: (attributes) => attributes.skein_test === 'yes',
    handle: async (event) => {
      received.push(event);
      if (fail) throw new Error('store down');
    },
  };
}

/** A service on the network with `route`, whose run function records what it is given and answers nothing. */
function recordingService(route: EventRoute): { service: Service; runs: RunParams[] } {
  const runs: RunParams[] = [];
  const service = new Service({
    serviceId: CHILD,
    transport: network.transport,
    runFunction: async (params) => {
      runs.push(params);
      return {};
    },
    eventRoutes: [route],
  });
  return { service, runs };
}

describe('Class: Service', () => {
  describe('Method: answer (event routes)', () => {
    it('hands a matching message to its route and acknowledges it instead of reading it as a question', async () => {
      // Prepare
      const route = recordingRoute();
      const { service, runs } = recordingService(route);
      const settled: string[] = [];
      const message = {
        data: Buffer.from('{"x":1}'),
        attributes: { skein_test: 'yes', recipient: CHILD },
        ack: () => settled.push('ack'),
        nack: () => settled.push('nack'),
      };

      // Act
      const outcome = await service.answer(message as never);

      // Assess
      expect(outcome).toEqual({ status: 'routed', route: 'test-extension' });
      expect(settled).toEqual(['ack']);
      expect(route.received[0]?.data.toString()).toBe('{"x":1}');
      expect(runs).toHaveLength(0);
    });

    it('nacks a routed message when its route fails, so the transport redelivers it', async () => {
      // Prepare
      const service = new Service({
        serviceId: CHILD,
        transport: network.transport,
        runFunction: async () => ({}),
        eventRoutes: [recordingRoute(true)],
      });
      const settled: string[] = [];
      const message = {
        data: Buffer.from('{}'),
        attributes: { skein_test: 'yes' },
        ack: () => settled.push('ack'),
        nack: () => settled.push('nack'),
      };

      // Act
      const outcome = await service.answer(message as never);

      // Assess
      expect(outcome).toMatchObject({ status: 'routed', route: 'test-extension', error: expect.any(Error) });
      expect(settled).toEqual(['nack']);
    });

    it('passes a question`s well-formed skein_ attributes to the run function and drops the rest', async () => {
      // Prepare
      const { service, runs } = recordingService(recordingRoute());
      const message = questionMessage({}, { forwardLogs: false });
      Object.assign(message.attributes, { skein_federation_0: '{"a":1}', skein_BAD: 'x', other: 'y' });

      // Act
      const outcome = await service.answer(message);

      // Assess
      expect(outcome.status).toBe('answered');
      expect(runs[0]?.extensionAttributes).toEqual({ skein_federation_0: '{"a":1}' });
    });
  });
});

describe('Function: buildQuestionMessage', () => {
  it('adds extension attributes to the question and refuses malformed ones', () => {
    // Act
    const { message } = buildQuestionMessage({
      sender: PARENT,
      recipient: CHILD,
      questionUuid: 'q-1',
      retryCount: 0,
      forwardLogs: false,
      extensionAttributes: { skein_federation_0: 'abc' },
    });

    // Assess
    expect(message.attributes.skein_federation_0).toBe('abc');
    expect(message.attributes.recipient).toBe(CHILD);
    const bad = (extensionAttributes: Record<string, string>) => () =>
      buildQuestionMessage({
        sender: PARENT,
        recipient: CHILD,
        questionUuid: 'q-1',
        retryCount: 0,
        forwardLogs: false,
        extensionAttributes,
      });
    expect(bad({ recipient: 'x' })).toThrow(InvalidEvent);
    expect(bad({ skein_big: 'x'.repeat(1025) })).toThrow(InvalidEvent);
  });
});

import { createFederationRuntime } from '../../../src/federation';
import { encodeMessage } from '../../../src/federation/wire';
import { functionHandlers } from '../../../src/functions';
import { Service } from '../../../src/service';
import { cloudEventOf, jsonMessage } from '../functions/events';
import { waitFor } from '../service/helpers';
import { AGGREGATOR, NORTH } from './helpers';
import { ANALYSIS_ID, Peers } from './peers';

let peers: Peers;

beforeEach(async () => {
  peers = await Peers.start();
});

afterEach(() => peers.close());

describe('Function: functionHandlers (federation events)', () => {
  it('routes a message delivered to a function to the mailbox once, acknowledging every delivery', async () => {
    // Prepare: north answers through a function (no subscription of its own); the aggregator is served.
    await peers.serve(AGGREGATOR);
    await peers.join(AGGREGATOR);
    const north = await peers.join(NORTH);
    const runtime = createFederationRuntime(peers.options(NORTH));
    const handlers = functionHandlers({
      service: new Service({
        serviceId: NORTH,
        transport: peers.network.transport,
        runFunction: async () => ({}),
        eventRoutes: [runtime.eventRoute],
      }),
    });
    const { message } = encodeMessage({
      analysisId: ANALYSIS_ID,
      sender: AGGREGATOR,
      recipient: NORTH,
      category: 'round',
      messageId: 'fed/-1-abcd',
      attempt: 1,
      body: { estimate: 3 },
      createdAt: '2026-12-07T00:00:00.000Z',
      number: 1,
      inReplyTo: null,
    });

    // Act: Pub/Sub delivers it twice.
    const reports = [
      await handlers.cloudEvent(cloudEventOf(jsonMessage(message))),
      await handlers.cloudEvent(cloudEventOf(jsonMessage(message))),
    ];

    // Assess
    expect(reports.map((report) => [report.status, report.acknowledged])).toEqual([
      ['routed', true],
      ['routed', true],
    ]);
    expect((await north.getMessages('all')).map((stored) => stored.body)).toEqual([{ estimate: 3 }]);
    await waitFor(() => peers.events({ skein_federation_event: 'ack', sender: NORTH }).length === 2, 'two acks');
  });
});

import type { OutgoingMessage, Transport } from '../../../src/core/ports/transport';
import { FederationPublishFailed } from '../../../src/federation';
import { TransportError } from '../../../src/errors';
import { AGGREGATOR, NORTH } from './helpers';
import { drive, Peers } from './peers';

let peers: Peers;

beforeEach(async () => {
  peers = await Peers.start({}, false);
});

afterEach(() => peers.close());

/** A transport (the port, not a patched client) whose first `failures` federation publishes fail. */
function flakyTransport(inner: Transport, failures: number): Transport & { attempts: number } {
  const flaky = Object.assign(Object.create(inner) as Transport, { attempts: 0 });
  flaky.publish = async (message: OutgoingMessage) => {
    if (message.attributes.skein_federation_event === 'message') {
      flaky.attempts += 1;
      if (flaky.attempts <= failures) throw new TransportError('UNAVAILABLE');
    }
    return inner.publish(message);
  };
  return flaky;
}

describe('Method: sendMessage (publish failures)', () => {
  it('retries a failed publish with backoff and delivers the message', async () => {
    // Prepare
    await peers.serve(NORTH);
    await peers.serve(AGGREGATOR);
    const transport = flakyTransport(peers.network.transport, 2);
    const aggregator = await peers.join(AGGREGATOR, { transport, uniform: () => 0.5 });
    await peers.join(NORTH);

    // Act
    const sent = await drive(aggregator.sendMessage([NORTH], 'round', { n: 1 }), peers.clock, 100);

    // Assess
    expect(sent.acknowledged).toEqual([NORTH]);
    expect(transport.attempts).toBe(3);
  });

  it('gives up after the retries with FederationPublishFailed naming the receiver', async () => {
    // Prepare
    const transport = flakyTransport(peers.network.transport, Infinity);
    const aggregator = await peers.join(AGGREGATOR, { transport, uniform: () => 0.5 });

    // Act
    const sending = drive(aggregator.sendMessage([NORTH], 'round', {}), peers.clock, 100);

    // Assess
    await expect(sending).rejects.toThrow(FederationPublishFailed);
    await expect(sending).rejects.toMatchObject({ receiver: NORTH, cause: expect.any(TransportError) });
    expect(transport.attempts).toBe(5);
  });
});

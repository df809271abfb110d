import {
  FederationMessageTooLarge,
  ParticipantFailed,
  ReservedMessageKey,
  UnknownParticipant,
} from '../../../src/federation';
import { InvalidInputException, MessageTooLarge } from '../../../src/errors';
import { waitFor } from '../service/helpers';
import type { FederationNetwork } from './helpers';
import { AGGREGATOR, NORTH, SOUTH } from './helpers';
import { drive, Peers } from './peers';

let peers: Peers;

async function setUp(options: ConstructorParameters<typeof FederationNetwork>[0] = {}): Promise<void> {
  peers = await Peers.start(options);
}

afterEach(() => peers.close());

describe('Class: Federation', () => {
  describe('Method: sendMessage', () => {
    it('stores a duplicated message once, acknowledges every delivery, and reports the receiver acknowledged', async () => {
      // Prepare: the broker delivers every message twice more after it is acked.
      await setUp({ duplicateDeliveries: 2 });
      await peers.serve(AGGREGATOR);
      await peers.serve(NORTH);
      const aggregator = await peers.join(AGGREGATOR);
      const north = await peers.join(NORTH);

      // Act
      const sent = await aggregator.sendMessage([NORTH], 'round', { value: 1 });
      // The spy also gets every event three times: count distinct publications.
      const acks = (): number =>
        new Set(peers.events({ skein_federation_event: 'ack', sender: NORTH }).map((event) => event.id)).size;
      await waitFor(() => acks() === 3, 'one ack per delivery');

      // Assess
      expect(sent).toEqual({ messageId: sent.messageId, acknowledged: [NORTH], notAcknowledged: [] });
      expect(sent.messageId).toMatch(/^fed\/-1-[0-9a-f]{4}$/);
      const stored = await north.getMessages('all');
      expect(stored).toHaveLength(1);
      expect(stored[0]?.body).toEqual({ value: 1 });
      expect(stored[0]?.meta).toMatchObject({ id: sent.messageId, sender: AGGREGATOR, aknId: NORTH, status: 'unread' });
    });

    it('re-sends the same message id on each attempt to a dead node, which ends in notAcknowledged', async () => {
      // Prepare: north answers, south was never started (a killed node).
      await setUp();
      await peers.serve(AGGREGATOR);
      await peers.serve(NORTH);
      const aggregator = await peers.join(AGGREGATOR);
      await peers.join(NORTH);

      // Act
      const sending = aggregator.sendMessage(
        [NORTH, SOUTH],
        'round',
        { value: 2 },
        { maxAttempts: 3, attemptTimeout: 5 },
      );
      await waitFor(() => peers.events({ skein_federation_event: 'ack', sender: NORTH }).length === 1, "north's ack");
      const sent = await drive(sending, peers.clock);

      // Assess
      expect(sent.acknowledged).toEqual([NORTH]);
      expect(sent.notAcknowledged).toEqual([SOUTH]);
      const toSouth = peers.events({ skein_federation_event: 'message', recipient: SOUTH });
      expect(toSouth.map((event) => event.attributes.attempt)).toEqual(['1', '2', '3']);
      expect(new Set(toSouth.map((event) => event.attributes.message_id))).toEqual(new Set([sent.messageId]));
      // North acknowledged the first attempt, so it was not sent again.
      expect(peers.events({ skein_federation_event: 'message', recipient: NORTH })).toHaveLength(1);
    });

    it('bounds the last attempt without a timeout by the run deadline minus the margin', async () => {
      // Prepare
      await setUp();
      const aggregator = await peers.join(AGGREGATOR, { runDeadlineMs: 60_000, deadlineMarginMs: 10_000 });
      const started = peers.clock.now().getTime();

      // Act
      const sent = await drive(aggregator.sendMessage([SOUTH], 'round', {}), peers.clock);

      // Assess
      expect(sent.notAcknowledged).toEqual([SOUTH]);
      expect(peers.clock.now().getTime() - started).toBeGreaterThanOrEqual(50_000);
      expect(peers.clock.now().getTime() - started).toBeLessThan(52_000);
    });

    it('gives each attempt timeout / maxAttempts and stops once the timeout has passed', async () => {
      // Prepare
      await setUp();
      const aggregator = await peers.join(AGGREGATOR);
      const started = peers.clock.now().getTime();

      // Act
      const sent = await drive(
        aggregator.sendMessage([SOUTH], 'round', {}, { maxAttempts: 4, timeout: 20 }),
        peers.clock,
      );

      // Assess
      expect(sent.notAcknowledged).toEqual([SOUTH]);
      await waitFor(() => peers.events({ skein_federation_event: 'message' }).length === 4, 'four attempts');
      expect(peers.clock.now().getTime() - started).toBeGreaterThanOrEqual(20_000);
      expect(peers.clock.now().getTime() - started).toBeLessThan(22_000);
    });

    it('refuses a body with meta, an unknown receiver and an oversized body before publishing anything', async () => {
      // Prepare
      await setUp();
      const aggregator = await peers.join(AGGREGATOR, { maxMessageBytes: 1000 });

      // Act / Assess
      await expect(aggregator.sendMessage([NORTH], 'c', { meta: 1 })).rejects.toThrow(ReservedMessageKey);
      await expect(aggregator.sendMessage(['fed/stranger:1.0.0'], 'c', {})).rejects.toThrow(UnknownParticipant);
      await expect(aggregator.sendMessage([AGGREGATOR], 'c', {})).rejects.toThrow(UnknownParticipant);
      await expect(aggregator.sendMessage([NORTH], 'c', {}, { inReplyTo: 'x'.repeat(33) })).rejects.toThrow(
        InvalidInputException,
      );
      const oversized = aggregator.sendMessage([NORTH], 'c', { blob: 'x'.repeat(1000) });
      await expect(oversized).rejects.toThrow(FederationMessageTooLarge);
      await expect(oversized).rejects.toThrow(MessageTooLarge);
      await expect(oversized).rejects.toMatchObject({ limitBytes: 1000, category: 'c' });
      expect(peers.published).toHaveLength(0);
    });
  });

  describe('Method: sendMessage (default size limit)', () => {
    it('refuses a body over 2 MB by default, before publishing', async () => {
      // Prepare
      await setUp();
      const aggregator = await peers.join(AGGREGATOR);

      // Act
      const sending = aggregator.sendMessage([NORTH], 'model', { blob: 'x'.repeat(2_000_000) });

      // Assess
      await expect(sending).rejects.toMatchObject({ name: 'FederationMessageTooLarge', limitBytes: 2_000_000 });
      expect(peers.published).toHaveLength(0);
    });
  });

  describe('Method: sendMessage (spill)', () => {
    it('sends an oversized body through intermediate data when asked, and the receiver gets it transparently', async () => {
      // Prepare
      await setUp();
      await peers.serve(AGGREGATOR, { maxMessageBytes: 1000 });
      await peers.serve(NORTH, { maxMessageBytes: 1000 });
      const aggregator = await peers.join(AGGREGATOR, { maxMessageBytes: 1000 });
      const north = await peers.join(NORTH, { maxMessageBytes: 1000 });
      const body = { blob: 'x'.repeat(5000), n: 1 };

      // Act
      const sent = await aggregator.sendMessage([NORTH], 'model', body, { spill: true });
      const received = await north.awaitMessages([AGGREGATOR], 'model', { timeout: 1 });

      // Assess
      expect(sent.acknowledged).toEqual([NORTH]);
      expect(received[AGGREGATOR]?.map((message) => message.body)).toEqual([body]);
      const published = peers.events({ skein_federation_event: 'message', recipient: NORTH });
      expect(published.every((event) => event.data.length < 1000)).toBe(true);
    });
  });

  describe('Method: awaitMessages', () => {
    it('returns every unread match per sender, marks them read, and gives null for a sender with none in time', async () => {
      // Prepare
      await setUp();
      await peers.serve(AGGREGATOR);
      await peers.serve(NORTH);
      const aggregator = await peers.join(AGGREGATOR);
      const north = await peers.join(NORTH);
      await north.sendMessage([AGGREGATOR], 'partial', { n: 1 });
      await north.sendMessage([AGGREGATOR], 'partial', { n: 2 });
      await north.sendMessage([AGGREGATOR], 'other', { n: 3 });

      // Act
      const first = await drive(aggregator.awaitMessages([NORTH, SOUTH], 'partial', { timeout: 5 }), peers.clock);
      const second = await drive(aggregator.awaitMessages([NORTH], 'partial', { timeout: 5 }), peers.clock);

      // Assess
      expect(first[NORTH]?.map((message) => message.body)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(first[NORTH]?.every((message) => message.meta.status === 'read')).toBe(true);
      expect(first[SOUTH]).toBeNull();
      expect(second[NORTH]).toBeNull();
      expect((await aggregator.getMessages('unread')).map((message) => message.body)).toEqual([{ n: 3 }]);
      expect(await aggregator.getMessages('read')).toHaveLength(2);
      expect(await aggregator.getMessages('all')).toHaveLength(3);
    });

    it('wakes a waiter in the same process as soon as the message is stored, and filters on inReplyTo', async () => {
      // Prepare
      await setUp();
      await peers.serve(AGGREGATOR);
      await peers.serve(NORTH);
      const aggregator = await peers.join(AGGREGATOR);
      const north = await peers.join(NORTH);
      const question = await aggregator.sendMessage([NORTH], 'ask', { q: 1 });
      await north.sendMessage([AGGREGATOR], 'reply', { stale: true }, { inReplyTo: 'fed/-99-abcd' });

      // Act: no clock tick at all, so only the in-process wake-up can end this wait.
      const waiting = aggregator.awaitMessages([NORTH], 'reply', { inReplyTo: question.messageId });
      await north.sendMessage([AGGREGATOR], 'reply', { fresh: true }, { inReplyTo: question.messageId });
      const replies = await waiting;

      // Assess
      expect(replies[NORTH]?.map((message) => message.body)).toEqual([{ fresh: true }]);
    });

    it('wakes on a new message even when the mailbox shrank while waiting (FLAME counts; Skein compares)', async () => {
      // Prepare: two old messages, already read.
      await setUp();
      await peers.serve(AGGREGATOR);
      await peers.serve(NORTH);
      const aggregator = await peers.join(AGGREGATOR);
      const north = await peers.join(NORTH);
      const old = [
        await north.sendMessage([AGGREGATOR], 'c', { n: 1 }),
        await north.sendMessage([AGGREGATOR], 'c', { n: 2 }),
      ];
      await aggregator.awaitMessages([NORTH], 'c', { timeout: 1 });
      const waiting = aggregator.awaitMessages([NORTH], 'c');

      // Act: the mailbox shrinks by two, then grows by one (a count-based wake-up would miss it); no clock tick.
      await aggregator.deleteMessages(old.map((sent) => sent.messageId));
      await north.sendMessage([AGGREGATOR], 'c', { n: 3 });

      // Assess
      expect((await waiting)[NORTH]?.map((message) => message.body)).toEqual([{ n: 3 }]);
    });

    it('reads a mailbox written before the waiting process (re)started', async () => {
      // Prepare: the message is stored while the aggregator has no federation instance at all.
      await setUp();
      await peers.serve(AGGREGATOR);
      await peers.serve(NORTH);
      await peers.join(AGGREGATOR);
      const north = await peers.join(NORTH);
      await north.sendMessage([AGGREGATOR], 'partial', { n: 7 });

      // Act: a new instance, as a restarted process or another invocation makes.
      const restarted = await peers.join(AGGREGATOR);
      const received = await restarted.awaitMessages([NORTH], 'partial', { timeout: 1 });

      // Assess
      expect(received[NORTH]?.map((message) => message.body)).toEqual([{ n: 7 }]);
    });

    it('continues the message numbering of an earlier instance, so a restarted sender never reuses an id', async () => {
      // Prepare
      await setUp();
      await peers.serve(AGGREGATOR);
      await peers.serve(NORTH);
      await peers.join(AGGREGATOR);
      const before = await peers.join(NORTH, { newUuid: () => '00000000-0000-0000-0000-000000000000' });
      const first = await before.sendMessage([AGGREGATOR], 'c', {});

      // Act: a restarted node whose uuid suffix happens to repeat.
      const after = await peers.join(NORTH, { newUuid: () => '00000000-0000-0000-0000-000000000000' });
      const [second, third] = await Promise.all([
        after.sendMessage([AGGREGATOR], 'c', {}),
        after.sendMessage([AGGREGATOR], 'c', {}),
      ]);

      // Assess
      expect([first.messageId, second?.messageId, third?.messageId]).toEqual([
        'fed/-1-0000',
        'fed/-2-0000',
        'fed/-3-0000',
      ]);
    });

    it('ends at once with ParticipantFailed naming the node when status sync reports it failed', async () => {
      // Prepare
      await setUp();
      const aggregator = await peers.join(AGGREGATOR);
      const waiting = aggregator.awaitMessages([NORTH, SOUTH], 'partial');

      // Act: no clock tick, so only the status sync can end the wait.
      aggregator.reportParticipantFailure(SOUTH, new Error('heartbeat lost'));

      // Assess
      await expect(waiting).rejects.toThrow(ParticipantFailed);
      await expect(waiting).rejects.toMatchObject({ participantId: SOUTH });
      const sent = await aggregator.sendMessage([SOUTH], 'round', {});
      expect(sent.notAcknowledged).toEqual([SOUTH]);
    });
  });

  describe('Method: sendMessageAndWaitForResponses', () => {
    it('works without a timeout', async () => {
      // Prepare
      await setUp();
      await peers.serve(AGGREGATOR);
      await peers.serve(NORTH);
      const aggregator = await peers.join(AGGREGATOR);
      const north = await peers.join(NORTH);
      const answering = (async () => {
        const asked = await north.awaitMessages([AGGREGATOR], 'ping');
        await north.sendMessage([AGGREGATOR], 'ping', { pong: asked[AGGREGATOR]?.[0]?.body.n });
      })();

      // Act
      const responses = await aggregator.sendMessageAndWaitForResponses([NORTH], 'ping', { n: 5 });
      await answering;

      // Assess
      expect(responses[NORTH]?.map((message) => message.body)).toEqual([{ pong: 5 }]);
    });
  });

  describe('Methods: deleteMessages, clearMessages', () => {
    it('deletes by id in both directions, and clears all statuses by whole age, days included', async () => {
      // Prepare
      await setUp();
      await peers.serve(AGGREGATOR);
      await peers.serve(NORTH);
      const aggregator = await peers.join(AGGREGATOR);
      const north = await peers.join(NORTH);
      const first = await north.sendMessage([AGGREGATOR], 'c', { n: 1 });
      await north.sendMessage([AGGREGATOR], 'c', { n: 2 });
      await waitFor(() => peers.events({ skein_federation_event: 'ack', sender: AGGREGATOR }).length === 2, 'acks');
      await aggregator.awaitMessages([NORTH], 'c', { timeout: 1 });
      await aggregator.sendMessage([NORTH], 'c', { n: 3 });

      // Act / Assess: deleting one id removes it from the receiver's mailbox…
      expect(await aggregator.deleteMessages([first.messageId])).toBe(1);
      // …and from the sender's outgoing records.
      expect(await north.deleteMessages([first.messageId])).toBe(1);
      // Two days and a minute later, everything at least two days old goes, whatever its status.
      peers.clock.tick(2 * 86_400_000 + 60_000);
      expect(await aggregator.clearMessages('all', 2 * 86_400)).toBe(2);
      expect(await aggregator.getMessages('all')).toHaveLength(0);
      expect(await north.clearMessages('all', 3 * 86_400)).toBe(0);
      expect(await north.clearMessages('all')).toBeGreaterThan(0);
    });
  });
});

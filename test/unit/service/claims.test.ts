import { ClaimUnreadable } from '../../../src/errors';
import { InProcessClaims, leaseDurationMs, ObjectStoreClaims } from '../../../src/service';
import type { ClaimDecision, ClaimLease } from '../../../src/service';
import { ManualClock, temporaryStore } from './helpers';

const LEASE = { leaseMs: 3_000 };
const ATTEMPT = { questionUuid: 'q-1', retryCount: 0 };
const LOCATION = 'gs://claims/.skein/claims';

function leaseOf(decision: ClaimDecision): ClaimLease {
  if (decision.status !== 'claimed') throw new Error(`expected a claim, got ${decision.status}`);
  return decision.lease;
}

describe('Function: leaseDurationMs', () => {
  it("lasts three heartbeat intervals, Octue's 360 s for its 120 s heartbeats", () => {
    expect(leaseDurationMs(120_000)).toBe(360_000);
  });
});

describe('Class: ObjectStoreClaims', () => {
  let storage: ReturnType<typeof temporaryStore>;
  let clock: ManualClock;
  let claims: ObjectStoreClaims;
  // A second service instance sharing the store, as deployed instances share the bucket.
  let other: ObjectStoreClaims;

  beforeEach(() => {
    storage = temporaryStore();
    clock = new ManualClock();
    claims = new ObjectStoreClaims(storage.store, LOCATION, 'acme/child:1.0.0', clock);
    other = new ObjectStoreClaims(storage.store, LOCATION, 'acme/child:1.0.0', clock);
  });

  afterEach(() => {
    storage.cleanup();
  });

  const claimBody = async (): Promise<Record<string, unknown>> =>
    JSON.parse((await storage.store.read(`${LOCATION}/q-1/0`)).toString('utf8')) as Record<string, unknown>;

  describe('Method: claim', () => {
    it('lets exactly one of many concurrent claims win, holds the others and writes a running lease', async () => {
      // Act
      const decisions = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? claims : other).claim(ATTEMPT, LEASE)),
      );

      // Assess
      expect(decisions.filter((decision) => decision.status === 'claimed')).toHaveLength(1);
      expect(decisions.filter((decision) => decision.status === 'held')).toHaveLength(49);
      expect(await claimBody()).toMatchObject({
        state: 'running',
        claimant: 'acme/child:1.0.0',
        questionUuid: 'q-1',
        retryCount: 0,
        leaseExpiresAt: new Date(clock.now().getTime() + 3_000).toISOString(),
      });
    });

    it('treats each retry as a new attempt', async () => {
      await claims.claim(ATTEMPT, LEASE);

      const retry = await other.claim({ questionUuid: 'q-1', retryCount: 1 }, LEASE);

      expect(retry.status).toBe('claimed');
    });

    it('holds a live lease until it expires, then lets one delivery take it over and the old holder lose it', async () => {
      // Prepare
      const first = leaseOf(await claims.claim(ATTEMPT, LEASE));

      // Act
      clock.tick(2_999);
      const during = await other.claim(ATTEMPT, LEASE);
      clock.tick(1);
      const after = await other.claim(ATTEMPT, LEASE);

      // Assess
      expect(during).toEqual({ status: 'held', expiresAt: new Date(clock.now().getTime()) });
      expect(after).toMatchObject({ status: 'claimed', takenOver: true });
      expect(await first.renew()).toBe(false);
      expect(await first.finish()).toBe(false);
      expect(await claimBody()).toMatchObject({ state: 'running', takeovers: 1 });
    });

    it('keeps a lease renewed at every heartbeat past its first expiry', async () => {
      // Prepare
      const lease = leaseOf(await claims.claim(ATTEMPT, LEASE));

      // Act: five renewals a heartbeat (a third of the lease) apart.
      const renewals: boolean[] = [];
      for (let beat = 0; beat < 5; beat += 1) {
        clock.tick(1_000);
        renewals.push(await lease.renew());
      }
      const during = await other.claim(ATTEMPT, LEASE);

      // Assess
      expect(renewals).toEqual([true, true, true, true, true]);
      expect(during.status).toBe('held');
    });

    it('drops every later delivery of a finished attempt, however long after', async () => {
      // Prepare
      const lease = leaseOf(await claims.claim(ATTEMPT, LEASE));

      // Act
      const finished = await lease.finish();
      clock.tick(60_000);
      const later = await Promise.all(Array.from({ length: 10 }, () => other.claim(ATTEMPT, LEASE)));

      // Assess
      expect(finished).toBe(true);
      expect(later.every((decision) => decision.status === 'finished')).toBe(true);
      expect(await lease.renew()).toBe(false);
      expect(await claimBody()).toMatchObject({ state: 'finished' });
    });

    it('lets the next delivery run a released attempt at once', async () => {
      const lease = leaseOf(await claims.claim(ATTEMPT, LEASE));

      await lease.release();
      const next = await other.claim(ATTEMPT, LEASE);

      expect(next).toMatchObject({ status: 'claimed', takenOver: true });
    });

    it('lets exactly one of many concurrent deliveries take over an expired lease', async () => {
      // Prepare
      await claims.claim(ATTEMPT, LEASE);
      clock.tick(3_000);

      // Act
      const decisions = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? claims : other).claim(ATTEMPT, LEASE)),
      );

      // Assess
      expect(decisions.filter((decision) => decision.status === 'claimed')).toHaveLength(1);
      expect(decisions.filter((decision) => decision.status === 'held')).toHaveLength(39);
      expect(await claimBody()).toMatchObject({ takeovers: 1 });
    });

    it('serialises a renewal racing the final write, so the attempt still ends finished', async () => {
      const lease = leaseOf(await claims.claim(ATTEMPT, LEASE));

      const [renewed, finished] = await Promise.all([lease.renew(), lease.finish()]);

      expect([renewed, finished]).toEqual([true, true]);
      expect((await other.claim(ATTEMPT, LEASE)).status).toBe('finished');
    });

    it('counts a create-only claim written by Skein before leases as answered', async () => {
      await storage.store.upload(
        `${LOCATION}/q-1/0`,
        JSON.stringify({ claimant: 'x', claimed_at: '2025-01-01T00:00:00.000Z', ...ATTEMPT }),
      );

      expect(await claims.claim(ATTEMPT, LEASE)).toEqual({ status: 'finished' });
    });

    it.each([
      ['text that is not JSON', 'not json'],
      ['JSON that is no claim', '{"state":"finished"}'],
      ['a claim with a malformed expiry', JSON.stringify({ format: 'skein-claim/2', state: 'running' })],
    ])('throws ClaimUnreadable for a claim object holding %s', async (_case, body) => {
      await storage.store.upload(`${LOCATION}/q-1/0`, body);

      await expect(claims.claim(ATTEMPT, LEASE)).rejects.toBeInstanceOf(ClaimUnreadable);
    });
  });
});

describe('Class: InProcessClaims', () => {
  describe('Method: claim', () => {
    it('holds an attempt while it runs, drops it once finished, and runs it again once released', async () => {
      const claims = new InProcessClaims();

      const first = leaseOf(await claims.claim(ATTEMPT));
      const whileRunning = await claims.claim(ATTEMPT);
      await first.release();
      const second = leaseOf(await claims.claim(ATTEMPT));
      await second.finish();
      const afterwards = await claims.claim(ATTEMPT);

      expect(whileRunning.status).toBe('held');
      expect(afterwards.status).toBe('finished');
      expect(claims.durable).toBe(false);
    });

    it('forgets the oldest claims beyond its capacity', async () => {
      const claims = new InProcessClaims(2);

      await claims.claim({ questionUuid: 'a', retryCount: 0 });
      await claims.claim({ questionUuid: 'b', retryCount: 0 });
      await claims.claim({ questionUuid: 'c', retryCount: 0 });

      expect((await claims.claim({ questionUuid: 'a', retryCount: 0 })).status).toBe('claimed');
      expect((await claims.claim({ questionUuid: 'c', retryCount: 0 })).status).toBe('held');
    });
  });
});

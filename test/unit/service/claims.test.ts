import { InProcessClaims, ObjectStoreClaims } from '../../../src/service';
import { temporaryStore } from './helpers';

describe('Class: ObjectStoreClaims', () => {
  let storage: ReturnType<typeof temporaryStore>;

  beforeEach(() => {
    storage = temporaryStore();
  });

  afterEach(() => {
    storage.cleanup();
  });

  describe('Method: claim', () => {
    it('lets exactly one of many concurrent claims of an attempt win, and writes the claim object', async () => {
      const claims = new ObjectStoreClaims(storage.store, 'gs://claims/.skein/claims', 'acme/child:1.0.0');

      const results = await Promise.all(
        Array.from({ length: 50 }, () => claims.claim({ questionUuid: 'q-1', retryCount: 0 })),
      );

      expect(results.filter(Boolean)).toHaveLength(1);
      const body = JSON.parse((await storage.store.read('gs://claims/.skein/claims/q-1/0')).toString('utf8'));
      expect(body).toMatchObject({ claimant: 'acme/child:1.0.0', questionUuid: 'q-1', retryCount: 0 });
    });

    it('treats each retry as a new attempt', async () => {
      const claims = new ObjectStoreClaims(storage.store, 'gs://claims/claims');

      expect(await claims.claim({ questionUuid: 'q-1', retryCount: 0 })).toBe(true);
      expect(await claims.claim({ questionUuid: 'q-1', retryCount: 1 })).toBe(true);
      expect(await claims.claim({ questionUuid: 'q-1', retryCount: 1 })).toBe(false);
    });
  });
});

describe('Class: InProcessClaims', () => {
  describe('Method: claim', () => {
    it('claims each attempt once', async () => {
      const claims = new InProcessClaims();

      expect(await claims.claim({ questionUuid: 'q', retryCount: 0 })).toBe(true);
      expect(await claims.claim({ questionUuid: 'q', retryCount: 0 })).toBe(false);
      expect(claims.durable).toBe(false);
    });

    it('forgets the oldest claims beyond its capacity', async () => {
      const claims = new InProcessClaims(2);

      await claims.claim({ questionUuid: 'a', retryCount: 0 });
      await claims.claim({ questionUuid: 'b', retryCount: 0 });
      await claims.claim({ questionUuid: 'c', retryCount: 0 });

      expect(await claims.claim({ questionUuid: 'a', retryCount: 0 })).toBe(true);
      expect(await claims.claim({ questionUuid: 'c', retryCount: 0 })).toBe(false);
    });
  });
});

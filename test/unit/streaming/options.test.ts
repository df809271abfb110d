import { InvalidStreamingOption, MAX_CHUNK_BYTES, StreamEngine } from '../../../src/streaming';
import type { StreamEngineOptions } from '../../../src/streaming';
import { RECEIVER, STATE_LOCATION, StreamWorld } from './helpers';

describe('Class: StreamEngine', () => {
  describe('Method: constructor', () => {
    let world: StreamWorld;

    beforeAll(() => {
      world = new StreamWorld();
    });

    afterAll(async () => {
      await world.close();
    });

    function build(options: Partial<StreamEngineOptions>): StreamEngine {
      return new StreamEngine({
        identity: RECEIVER,
        transport: world.transport,
        store: world.store,
        stateLocation: STATE_LOCATION,
        ...options,
      });
    }

    it.each([
      ['a liveness interval equal to the idle timeout', { idleTimeoutSeconds: 30, livenessIntervalSeconds: 30 }],
      ['a liveness interval above the idle timeout', { idleTimeoutSeconds: 30, livenessIntervalSeconds: 45 }],
    ])('refuses %s', (_case, options) => {
      expect(() => build(options)).toThrow(expect.objectContaining({ option: 'livenessIntervalSeconds' }));
    });

    it.each([
      ['maxChunkBytes', { maxChunkBytes: MAX_CHUNK_BYTES + 1 }],
      ['maxChunkBytes', { maxChunkBytes: 0 }],
      ['maxConcurrentStreamingSessions', { maxConcurrentStreamingSessions: 1.5 }],
      ['idleTimeoutSeconds', { idleTimeoutSeconds: Number.NaN }],
      ['endedRetentionSeconds', { endedRetentionSeconds: -1 }],
      ['identity', { identity: 'acme/receiver' }],
      ['stateLocation', { stateLocation: '/tmp/states' }],
      ['instanceId', { instanceId: 'a/b' }],
    ])('refuses a bad %s with InvalidStreamingOption', (option, options) => {
      let error: unknown;
      try {
        build(options);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidStreamingOption);
      expect(error).toMatchObject({ option });
    });

    it('accepts a liveness interval below the idle timeout and the largest chunk size', () => {
      const engine = build({ idleTimeoutSeconds: 30, livenessIntervalSeconds: 29, maxChunkBytes: MAX_CHUNK_BYTES });
      expect(engine.identity).toBe(RECEIVER);
    });
  });
});

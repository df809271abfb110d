import { InvalidInputException, ObjectNotFound, UnknownParticipant } from '../../../src/errors';
import { AGGREGATOR, NORTH } from './helpers';
import { Peers } from './peers';

let peers: Peers;

beforeEach(async () => {
  peers = await Peers.start({}, false);
});

afterEach(() => peers.close());

describe('Methods: saveIntermediateData, getIntermediateData, getLocalTags', () => {
  it('keeps tagged local data for later analyses of the project, by id or by tag (all, first, last)', async () => {
    // Prepare
    const north = await peers.join(NORTH);
    const first = await north.saveIntermediateData({ round: 1 }, 'local', { tag: 'model-weights' });
    peers.clock.tick(1000);
    await north.saveIntermediateData({ round: 2 }, 'local', { tag: 'model-weights' });
    await north.saveIntermediateData(Buffer.from([1, 2, 3]), 'local', { tag: 'raw' });

    // Act: a later analysis of the same project (a new instance; the same project scope).
    const later = await peers.join(NORTH);

    // Assess
    expect(first).toMatchObject({ status: 'success', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await later.getIntermediateData('local', { id: (first as { id: string }).id })).toEqual({ round: 1 });
    expect(await later.getIntermediateData('local', { tag: 'model-weights' })).toEqual([{ round: 1 }, { round: 2 }]);
    expect(await later.getIntermediateData('local', { tag: 'model-weights', tagOption: 'first' })).toEqual([
      { round: 1 },
    ]);
    expect(await later.getIntermediateData('local', { tag: 'model-weights', tagOption: 'last' })).toEqual([
      { round: 2 },
    ]);
    expect(await later.getIntermediateData('local', { tag: 'raw' })).toEqual([Buffer.from([1, 2, 3])]);
    expect(await later.getLocalTags()).toEqual(['model-weights', 'raw']);
    expect(await later.getLocalTags('model')).toEqual(['model-weights']);
  });

  it('stores global data once per recipient, readable by that recipient only', async () => {
    // Prepare
    const aggregator = await peers.join(AGGREGATOR);
    const north = await peers.join(NORTH);

    // Act
    const saved = (await aggregator.saveIntermediateData({ w: [1, 2] }, 'global', {
      remoteNodeIds: [NORTH],
    })) as Record<string, { id: string; url: string }>;

    // Assess
    const id = saved[NORTH]?.id as string;
    expect(await north.getIntermediateData('global', { id })).toEqual({ w: [1, 2] });
    await expect(aggregator.getIntermediateData('global', { id })).rejects.toThrow(ObjectNotFound);
    expect(saved[NORTH]?.url).toBeTruthy();
  });

  it.each([
    ['an uppercase tag', 'local', { tag: 'Bad' }],
    ['a tag over 32 characters', 'local', { tag: 'a'.repeat(33) }],
    ['a tag on global data', 'global', { remoteNodeIds: [NORTH], tag: 'x' }],
    ['recipients for local data', 'local', { remoteNodeIds: [NORTH] }],
  ])('refuses %s with InvalidInputException', async (_case, location, options) => {
    const north = await peers.join(AGGREGATOR);
    await expect(north.saveIntermediateData({}, location as 'local', options)).rejects.toThrow(InvalidInputException);
  });

  it('refuses global data for a stranger, and ids that are not data ids', async () => {
    const aggregator = await peers.join(AGGREGATOR);
    await expect(
      aggregator.saveIntermediateData({}, 'global', { remoteNodeIds: ['fed/stranger:1.0.0'] }),
    ).rejects.toThrow(UnknownParticipant);
    await expect(aggregator.getIntermediateData('global', { id: '../../secrets' })).rejects.toThrow(
      InvalidInputException,
    );
  });
});

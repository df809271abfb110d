import {
  InvalidStreamingOption,
  ReturnCode,
  registerContainerProcessing,
  streamContainer,
} from '../../../src/streaming';
import { HOSTILE_KEYS_JSON, expectHostileKeysKeptAsData } from '../../helpers/prototype-keys';
import { RECEIVER, SENDER, StreamWorld } from './helpers';

describe('Function: streamContainer', () => {
  let world: StreamWorld;
  let containers: unknown[];

  beforeEach(async () => {
    world = await new StreamWorld().start();
    containers = [];
    registerContainerProcessing((await world.engine(RECEIVER)).engine, 'c', 'containers', {
      onContainer: (container) => {
        containers.push(container);
        return 'kept';
      },
    });
  });

  afterEach(async () => {
    await world.close();
  });

  it.each([
    ['a list', [1, 'two', { three: 3 }, null]],
    ['a map', { a: 1, b: [2], c: { d: 'e' } }],
    ['an empty list', []],
  ])('streams %s one entry per chunk and hands the receiver the whole container', async (_case, container) => {
    // Prepare
    const { engine: sender } = await world.engine(SENDER);

    // Act
    const result = await streamContainer(sender, { channel: 'c', topic: 'containers', targets: [RECEIVER], container });

    // Assess
    expect(result).toEqual([ReturnCode.OK, true]);
    expect(containers).toEqual([container]);
    const entries = Array.isArray(container) ? container.length : Object.keys(container).length;
    expect(world.events('chunk')).toHaveLength(entries + 1);
  });

  it('keeps received map keys such as __proto__ as data', async () => {
    const { engine: sender } = await world.engine(SENDER);
    const container = JSON.parse(HOSTILE_KEYS_JSON) as Record<string, unknown>;
    await streamContainer(sender, { channel: 'c', topic: 'containers', targets: [RECEIVER], container });
    expectHostileKeysKeptAsData(containers[0]);
  });

  it('refuses a container that is neither a list nor a plain object, or has an entry that is not JSON', async () => {
    const { engine: sender } = await world.engine(SENDER);
    const send = (container: unknown) =>
      streamContainer(sender, { channel: 'c', topic: 'containers', targets: [RECEIVER], container: container as [] });
    await expect(send(new Map())).rejects.toBeInstanceOf(InvalidStreamingOption);
    await expect(send([BigInt(1)])).rejects.toBeInstanceOf(InvalidStreamingOption);
    expect(world.events('chunk')).toHaveLength(0);
  });

  it('fails the stream when the container outgrows the state a receiver may save', async () => {
    const { engine: sender } = await world.engine(SENDER);
    const container = Array.from({ length: 40 }, () => 'x'.repeat(8 * 1024));
    const result = await streamContainer(sender, { channel: 'c', topic: 'containers', targets: [RECEIVER], container });
    expect(result).toEqual([ReturnCode.ERROR, false]);
    expect(containers).toEqual([]);
  });
});

import {
  HOSTILE_KEYS_JSON,
  expectHostileKeysKeptAsData,
  objectPrototypePolluted,
} from '../../../helpers/prototype-keys';
import { MemoryNetwork } from './helpers';

// Keys that would shadow Object.prototype's methods if anything called them on received data.
const METHOD_KEYS_JSON = '{"toString": "x", "valueOf": "y", "hasOwnProperty": 1, "toJSON": "z"}';

describe('Class: Child (prototype and method keys across a question and its answer)', () => {
  let network: MemoryNetwork;

  beforeEach(async () => {
    network = await MemoryNetwork.start();
  });

  afterEach(async () => {
    await network.close();
    expect(objectPrototypePolluted()).toBe(false);
  });

  it('carries the keys as data both ways: input values, monitor messages and output values', async () => {
    let received: unknown;
    await network.serve(async ({ inputValues, handleMonitorMessage }) => {
      received = inputValues;
      handleMonitorMessage?.(JSON.parse(METHOD_KEYS_JSON));
      return { outputValues: { echoed: inputValues, methods: JSON.parse(METHOD_KEYS_JSON) } };
    });
    const monitorMessages: unknown[] = [];

    const { answer } = await network
      .child()
      .ask({ inputValues: JSON.parse(HOSTILE_KEYS_JSON), handleMonitorMessage: (data) => monitorMessages.push(data) });

    expectHostileKeysKeptAsData(received);
    const outputValues = (answer as { outputValues: { echoed: unknown; methods: unknown } }).outputValues;
    expectHostileKeysKeptAsData(outputValues.echoed);
    expect(outputValues.methods).toEqual(JSON.parse(METHOD_KEYS_JSON));
    expect(monitorMessages).toEqual([JSON.parse(METHOD_KEYS_JSON)]);
  });
});

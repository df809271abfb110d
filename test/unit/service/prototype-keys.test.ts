import { Runner, Service } from '../../../src/service';
import { HOSTILE_KEYS_JSON, expectHostileKeysKeptAsData, objectPrototypePolluted } from '../../helpers/prototype-keys';
import { CHILD, MemoryNetwork, questionMessage, waitFor } from './helpers';

let network: MemoryNetwork;

beforeEach(async () => {
  network = await new MemoryNetwork().start();
});

afterEach(async () => {
  await network.close();
});

/** A question whose input values are the hostile JSON, as raw bytes (no encoder between the attacker and the wire). */
function hostileQuestion(): ReturnType<typeof questionMessage> {
  return {
    ...questionMessage({}, { forwardLogs: false }),
    data: Buffer.from(`{"kind": "question", "input_values": ${HOSTILE_KEYS_JSON}}`, 'utf8'),
  };
}

describe('Class: Service', () => {
  describe('Method: answer (prototype keys in received input values)', () => {
    it('gives the app input values whose __proto__ key is data, not a prototype the sender chose', async () => {
      const seen: { inputValues?: unknown; isAdmin?: unknown; polluted?: boolean } = {};
      const app = (analysis: { inputValues: unknown; outputValues: unknown }): void => {
        seen.inputValues = analysis.inputValues;
        seen.isAdmin = (analysis.inputValues as { isAdmin?: unknown }).isAdmin;
        seen.polluted = objectPrototypePolluted();
        analysis.outputValues = analysis.inputValues;
      };
      const service = new Service({
        serviceId: CHILD,
        transport: network.transport,
        runner: new Runner({
          app,
          twine: { input_values_schema: { type: 'object' }, output_values_schema: { type: 'object' } },
        }),
      });

      const outcome = await service.answer(hostileQuestion());
      await waitFor(() => network.kinds().includes('result'), 'the result');

      expect(outcome.status).toBe('answered');
      expectHostileKeysKeptAsData(seen.inputValues);
      expect(seen.isAdmin).toBeUndefined();
      expect(seen.polluted).toBe(false);
      // Sent back unchanged: the answer loses none of the keys.
      expectHostileKeysKeptAsData(network.ofKind('result')[0]?.output_values);
    });

    it('refuses the question when the twine forbids extra keys, so the app never runs', async () => {
      let ran = false;
      const service = new Service({
        serviceId: CHILD,
        transport: network.transport,
        runner: new Runner({
          app: () => {
            ran = true;
          },
          twine: {
            input_values_schema: {
              type: 'object',
              properties: { n: { type: 'integer' } },
              additionalProperties: false,
            },
          },
        }),
      });

      const outcome = await service.answer(hostileQuestion());
      await waitFor(() => network.kinds().includes('exception'), 'the exception');

      expect(outcome.status).toBe('failed');
      expect(ran).toBe(false);
      expect(network.ofKind('exception')[0]?.exception_type).toBe('InvalidValuesContents');
      expect(network.ofKind('exception')[0]?.exception_message).toContain('__proto__');
      expect(objectPrototypePolluted()).toBe(false);
    });
  });
});

// Robustness over the real Pub/Sub emulator (issue 3 §6): a monitor message the child's twine refuses, re-raised in the
// parent as the same class, and a question's `children` replacing the children a service is configured with.
import { InvalidMonitorMessage } from '../../../src/errors';
import { Runner, Service } from '../../../src/service';
import type { Analysis } from '../../../src/service';
import { Child, childFactory } from '../../../src/service/child';
import { PARENT, PROJECT_ID, serveInProcess, TestTopic } from './robustness-helpers';
import type { ServedService } from './robustness-helpers';

const MONITORED = 'acme/robust-monitored:1.0.0';
const MIDDLE = 'acme/robust-middle:1.0.0';
const CONFIGURED_LEAF = 'acme/robust-configured-leaf:1.0.0';
const DYNAMIC_LEAF = 'acme/robust-dynamic-leaf:1.0.0';
const BACKEND = { name: 'GCPPubSubBackend', project_id: PROJECT_ID };

describe('Class: Child (monitor messages and dynamic children over the Pub/Sub emulator)', () => {
  let topic: TestTopic;
  let served: ServedService[];

  beforeEach(async () => {
    topic = await new TestTopic().create();
    served = [];
  });

  afterEach(async () => {
    await Promise.all(served.map((service) => service.stop()));
    await topic.dispose();
  });

  async function serve(service: Service): Promise<void> {
    served.push(await serveInProcess(service));
  }

  describe('Method: ask', () => {
    it("re-raises a monitor message refused by the child's monitor_message_schema as InvalidMonitorMessage", async () => {
      // Prepare: an app that sends a valid monitor message, then one its twine refuses.
      const app = (analysis: Analysis): void => {
        analysis.sendMonitorMessage({ progress: 0.5 });
        analysis.sendMonitorMessage({ progress: 'half' });
      };
      const twine = {
        monitor_message_schema: {
          type: 'object',
          properties: { progress: { type: 'number' } },
          required: ['progress'],
        },
      };
      const runner = new Runner({ app, twine, serviceId: MONITORED });
      await serve(new Service({ serviceId: MONITORED, transport: topic.transport, runner }));
      const child = new Child({ id: MONITORED, transport: topic.transport, parentSruid: PARENT });
      const monitored: unknown[] = [];

      // Act
      const error = await child
        .ask({ handleMonitorMessage: (data) => void monitored.push(data), timeout: 30 })
        .catch((caught: unknown) => caught);
      await child.close();

      // Assess
      expect(error).toBeInstanceOf(InvalidMonitorMessage);
      const message = (error as Error).message;
      expect(message).toMatch(new RegExp(`^Error in <Service\\('${MONITORED}'\\)>: `));
      expect(message).toContain('/progress: must be number');
      expect(message).toContain(`The following traceback was captured from the remote service '${MONITORED}':`);
      expect(message).toContain('sendMonitorMessage');
      expect(monitored).toEqual([{ progress: 0.5 }]);
    });

    it("uses the question's children instead of the children the service is configured with", async () => {
      // Prepare: two leaves that say who answered, and a middle service configured to ask one of them.
      for (const leaf of [CONFIGURED_LEAF, DYNAMIC_LEAF]) {
        await serve(
          new Service({
            serviceId: leaf,
            transport: topic.transport,
            runFunction: async () => ({ outputValues: { answeredBy: leaf } }),
          }),
        );
      }
      const runner = new Runner({
        app: async (analysis: Analysis) => {
          const leaf = analysis.children.leaf;
          if (leaf === undefined) throw new Error('The analysis has no child with the key leaf.');
          const { answer } = await leaf.ask({ inputValues: {}, timeout: 30 });
          analysis.outputValues = (answer as { outputValues: unknown }).outputValues;
        },
        twine: { children: [{ key: 'leaf', purpose: 'Says who answered.' }], output_values_schema: { type: 'object' } },
        children: [{ key: 'leaf', id: CONFIGURED_LEAF, backend: BACKEND }],
        serviceId: MIDDLE,
        childFactory: childFactory({ transport: topic.transport, answerSubscriptionLingerMs: 0 }),
      });
      await serve(new Service({ serviceId: MIDDLE, transport: topic.transport, runner }));
      const child = new Child({ id: MIDDLE, transport: topic.transport, parentSruid: PARENT });

      // Act
      const dynamic = await child.ask({ children: [{ key: 'leaf', id: DYNAMIC_LEAF, backend: BACKEND }], timeout: 30 });
      const configured = await child.ask({ timeout: 30 });
      await child.close();

      // Assess
      expect(dynamic.answer.outputValues).toEqual({ answeredBy: DYNAMIC_LEAF });
      expect(configured.answer.outputValues).toEqual({ answeredBy: CONFIGURED_LEAF });
    });
  });
});

import { createLogger } from '../../../../src/service';
import { Child, childFactory } from '../../../../src/service/child';
import { CHILD, MemoryNetwork, PARENT, recordingLogger } from './helpers';

const GRANDCHILD = 'acme/grandchild:3.0.0';

describe('Class: Child', () => {
  let network: MemoryNetwork;

  beforeEach(async () => {
    network = await MemoryNetwork.start();
  });

  afterEach(async () => {
    await network.close();
  });

  describe('Method: ask', () => {
    it('relays grandchild logs with both labels and passes the question lineage down the tree', async () => {
      const grandchildQuestions: { analysisId?: string; originatorQuestionUuid?: string; originator?: string }[] = [];
      await network.serve(
        async ({ analysisId, originatorQuestionUuid, originator, inputValues }) => {
          grandchildQuestions.push({ analysisId, originatorQuestionUuid, originator });
          createLogger({ name: 'grandchild-app' }).info('Squaring %d.', inputValues as number);
          return { outputValues: (inputValues as number) ** 2 };
        },
        { serviceId: GRANDCHILD },
      );
      let grandchildUuid: string | undefined;
      await network.serve(async ({ analysisId, originatorQuestionUuid, originator, inputValues }) => {
        const grandchild = new Child({ id: GRANDCHILD, transport: network.transport, parentSruid: CHILD });
        const { answer, questionUuid } = await grandchild.ask({
          inputValues,
          parentQuestionUuid: analysisId,
          originatorQuestionUuid,
          originator,
        });
        grandchildUuid = questionUuid;
        return { outputValues: { squared: answer.outputValues } };
      });
      const { logger, entries } = recordingLogger();

      const { answer, questionUuid } = await network.child({ logger }).ask({ inputValues: 7 });

      expect(answer.outputValues).toEqual({ squared: 49 });
      expect(grandchildQuestions).toEqual([
        { analysisId: grandchildUuid, originatorQuestionUuid: questionUuid, originator: PARENT },
      ]);
      const relayed = entries.filter((entry) => entry.name === 'grandchild-app').map((entry) => entry.message);
      expect(relayed).toEqual([`[${CHILD} | ${questionUuid}] [${GRANDCHILD} | ${grandchildUuid}] Squaring 7.`]);
    });
  });
});

describe('Function: childFactory', () => {
  it('makes Children that ask as the analysing service', async () => {
    const network = await MemoryNetwork.start();
    try {
      const factory = childFactory({ transport: network.transport });
      const record = { key: 'elevation', id: CHILD, backend: { name: 'GCPPubSubBackend', project_id: 'p' } } as const;

      const child = factory(record, { serviceId: PARENT });
      const local = factory(record, {});

      expect(child).toBeInstanceOf(Child);
      expect(child.id).toBe(CHILD);
      expect((child as Child).parentSruid).toBe(PARENT);
      expect((local as Child).parentSruid).toBe('local/local:local');
    } finally {
      await network.close();
    }
  });
});

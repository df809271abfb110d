import type { FederatedAnalysis } from '../../../src/federation';
import { AGGREGATOR, FederationNetwork, NORTH, SOUTH } from './helpers';

let network: FederationNetwork;

beforeEach(async () => {
  network = await new FederationNetwork().start();
});

afterEach(async () => {
  await network.close();
});

/** A node that reports its view of the federation to the aggregator, then finishes. */
async function reportingNode(analysis: FederatedAnalysis): Promise<void> {
  const federation = analysis.federation;
  if (federation === undefined) throw new Error('no federation context');
  const aggregator = federation.getAggregatorId() as string;
  await federation.sendMessage([aggregator], 'view', {
    id: federation.getId(),
    role: federation.getRole(),
    analysisId: federation.getAnalysisId(),
    projectId: federation.getProjectId(),
    participants: federation.getParticipants(),
    participantIds: federation.getParticipantIds(),
    aggregatorId: aggregator,
  });
}

describe('Function: analysis.startFederation', () => {
  it('asks each node with the federation context, and every participant sees the others, its role and the ids', async () => {
    // Prepare
    await network.serve(NORTH, reportingNode);
    await network.serve(SOUTH, reportingNode);
    await network.serve(
      AGGREGATOR,
      async (analysis) => {
        const federation = await analysis.startFederation({ nodes: ['north', 'south'] });
        const views = await federation.awaitMessages(federation.getParticipantIds(), 'view');
        const outcomes = await federation.waitForNodes();
        analysis.outputValues = {
          self: {
            id: federation.getId(),
            role: federation.getRole(),
            aggregatorId: federation.getAggregatorId(),
            analysisId: federation.getAnalysisId(),
            participantIds: federation.getParticipantIds(),
            questionId: analysis.id,
          },
          views: Object.fromEntries(Object.entries(views).map(([sender, list]) => [sender, list?.map((m) => m.body)])),
          statuses: Object.fromEntries(
            Object.entries(outcomes).map(([node, outcome]) => [
              node,
              outcome.status === 'failed' ? String(outcome.error) : outcome.status,
            ]),
          ),
        };
      },
      { children: { north: NORTH, south: SOUTH } },
    );

    // Act
    const output = (await network.ask()) as {
      self: Record<string, unknown>;
      views: Record<string, Record<string, unknown>[]>;
      statuses: Record<string, string>;
    };

    // Assess: the aggregator's view.
    expect(output.self).toMatchObject({
      id: AGGREGATOR,
      role: 'aggregator',
      aggregatorId: null,
      participantIds: [NORTH, SOUTH],
    });
    // The analysis id defaults to the originator question uuid: the parent's question to the aggregator.
    expect(output.self.analysisId).toBe(output.self.questionId);
    expect(output.statuses).toEqual({ [NORTH]: 'answered', [SOUTH]: 'answered' });
    // Each node's view: others only, the aggregator's id, and `proxy` as it has no data sources.
    for (const [node, other] of [
      [NORTH, SOUTH],
      [SOUTH, NORTH],
    ] as const) {
      expect(output.views[node]).toEqual([
        {
          id: node,
          role: 'proxy',
          analysisId: output.self.analysisId,
          projectId: 'weather',
          participants: [
            { nodeId: AGGREGATOR, nodeType: 'aggregator' },
            { nodeId: other, nodeType: 'default' },
          ],
          participantIds: [AGGREGATOR, other],
          aggregatorId: AGGREGATOR,
        },
      ]);
    }
  });
});

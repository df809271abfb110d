import type { FederatedAnalysis } from '../../../src/federation';
import { AGGREGATOR, FederationNetwork, NORTH, SOUTH } from './helpers';

let network: FederationNetwork;

beforeEach(async () => {
  network = await new FederationNetwork().start();
});

afterEach(async () => {
  await network.close();
});

const DATA: Record<string, number[]> = { [NORTH]: [1, 2, 3, 4], [SOUTH]: [10, 20] };

/**
 * A node of FLAME's star pattern: answers each round's estimate with its partial sums (as a reply to the round's
 * message), until the aggregator finishes the analysis, which ends its wait with AnalysisFinished.
 */
async function starNode(analysis: FederatedAnalysis): Promise<void> {
  const federation = analysis.federation;
  if (federation === undefined) throw new Error('no federation context');
  const aggregator = federation.getAggregatorId() as string;
  const values = DATA[federation.getId()] ?? [];
  for (;;) {
    const rounds = await federation.awaitMessages([aggregator], 'round');
    for (const round of rounds[aggregator] ?? []) {
      const shift = round.body.estimate as number;
      await federation.sendMessage(
        [aggregator],
        'partial',
        { sum: values.reduce((sum, value) => sum + (value - shift), 0), count: values.length },
        { inReplyTo: round.meta.id },
      );
    }
  }
}

describe('A federated mean over five rounds (FLAME`s star pattern)', () => {
  it('agrees with the mean computed centrally, with a noisy final result and every question answered', async () => {
    // Prepare
    await network.serve(NORTH, starNode);
    await network.serve(SOUTH, starNode);
    await network.serve(
      AGGREGATOR,
      async (analysis) => {
        const federation = await analysis.startFederation({ nodes: ['north', 'south'] });
        const nodes = federation.getParticipantIds();
        let estimate = 0;
        const history: number[] = [];
        for (let round = 0; round < 5; round += 1) {
          const sent = await federation.sendMessage(nodes, 'round', { estimate }, { maxAttempts: 3 });
          const replies = await federation.awaitMessages(nodes, 'partial', { inReplyTo: sent.messageId });
          const partials = Object.values(replies).map((list) => list?.[0]?.body as { sum: number; count: number });
          const count = partials.reduce((total, partial) => total + partial.count, 0);
          estimate += partials.reduce((total, partial) => total + partial.sum, 0) / count;
          history.push(estimate);
        }
        await federation.submitFinalResult(estimate, { localDp: { epsilon: 1, sensitivity: 0.5 } });
        await federation.analysisFinished();
        const outcomes = await federation.waitForNodes();
        analysis.outputValues = {
          history,
          statuses: Object.values(outcomes).map((outcome) => outcome.status),
        };
      },
      {
        children: { north: NORTH, south: SOUTH },
        twineExtras: { output_manifest: { datasets: { final_results: {} } } },
        // A seeded noise source: the noisy result is then known exactly (production uses the secure source).
        federation: { uniform: () => 0.75 },
      },
    );

    // Act
    const output = (await network.ask()) as { history: number[]; statuses: string[] };

    // Assess: the first round already gives the pooled mean; later rounds keep it.
    const pooled = [...(DATA[NORTH] ?? []), ...(DATA[SOUTH] ?? [])];
    const mean = pooled.reduce((sum, value) => sum + value, 0) / pooled.length;
    expect(output.history).toHaveLength(5);
    for (const estimate of output.history) expect(estimate).toBeCloseTo(mean, 12);
    expect(output.statuses).toEqual(['answered', 'answered']);
    const { objects } = await network.store.list('gs://federation-test/.skein/federation/');
    const result = objects.find((object) => /\/final\/result_[0-9a-f]{4}_\d{12}\.txt$/.test(object.name));
    expect(result).toBeDefined();
    expect(Number((await network.store.read(result?.location as string)).toString())).toBeCloseTo(
      mean + 0.5 * Math.log(2),
      12,
    );
  });
});

import { AnalysisFinished, ParticipantFailed } from '../../../src/federation';
import type { FederatedAnalysis } from '../../../src/federation';
import { AGGREGATOR, FederationNetwork, NORTH, SOUTH } from './helpers';
import { drive, Peers } from './peers';
import { deferred, ManualClock } from '../service/helpers';

let network: FederationNetwork;

beforeEach(async () => {
  network = await new FederationNetwork().start();
});

afterEach(async () => {
  await network.close();
});

/** A node that waits for rounds that never come, until the aggregator finishes the analysis. */
async function waitingNode(analysis: FederatedAnalysis): Promise<void> {
  const federation = analysis.federation;
  if (federation === undefined) throw new Error('no federation context');
  await federation.awaitMessages([federation.getAggregatorId() as string], 'round');
}

describe('Methods: readyCheck, analysisFinished', () => {
  it('finds every node ready, then finishes the analysis everywhere and each node`s question is answered', async () => {
    // Prepare
    await network.serve(NORTH, waitingNode);
    await network.serve(SOUTH, waitingNode);
    await network.serve(
      AGGREGATOR,
      async (analysis) => {
        const federation = await analysis.startFederation({ nodes: ['north', 'south'] });
        const nodes = federation.getParticipantIds();
        const ready = await federation.readyCheck(nodes);
        const finished = await federation.analysisFinished();
        const outcomes = await federation.waitForNodes();
        const afterwards = await federation.awaitMessages(nodes, 'round').catch((error: unknown) => error);
        analysis.outputValues = {
          ready,
          nodes,
          acknowledged: finished.acknowledged,
          statuses: Object.values(outcomes).map((outcome) => outcome.status),
          finished: federation.isFinished(),
          afterwards: (afterwards as Error).name,
        };
      },
      { children: { north: NORTH, south: SOUTH } },
    );

    // Act
    const output = (await network.ask()) as Record<string, unknown>;

    // Assess
    expect(output).toEqual({
      ready: { [NORTH]: true, [SOUTH]: true },
      nodes: [NORTH, SOUTH],
      acknowledged: [NORTH, SOUTH],
      statuses: ['answered', 'answered'],
      finished: true,
      afterwards: AnalysisFinished.name,
    });
    const status = await network.store.read(
      `gs://federation-test/.skein/federation/${(await listAnalyses(network))[0]}/${encodeURIComponent(NORTH)}/status.json`,
    );
    expect(JSON.parse(status.toString())).toMatchObject({ status: 'executed', progress: 100 });
  });

  it('ends the aggregator`s wait at once with ParticipantFailed naming a node whose app failed', async () => {
    // Prepare
    await network.serve(NORTH, waitingNode);
    await network.serve(SOUTH, async () => {
      throw new Error('south ran out of memory');
    });
    await network.serve(
      AGGREGATOR,
      async (analysis) => {
        const federation = await analysis.startFederation({ nodes: ['north', 'south'] });
        // No timeout: only the status sync can end this wait in time.
        const error = await federation.awaitMessages([NORTH, SOUTH], 'partial').catch((caught: unknown) => caught);
        await federation.analysisFinished();
        analysis.outputValues = {
          name: (error as Error).name,
          participantId: (error as ParticipantFailed).participantId,
          message: (error as Error).message,
        };
      },
      { children: { north: NORTH, south: SOUTH } },
    );

    // Act
    const output = (await network.ask()) as Record<string, string>;

    // Assess
    expect(output.name).toBe(ParticipantFailed.name);
    expect(output.participantId).toBe(SOUTH);
    expect(output.message).toContain('south ran out of memory');
  });
});

describe('Status sync (a lost heartbeat)', () => {
  it('ends the aggregator`s wait with ParticipantFailed once a node`s heartbeat is lost', async () => {
    // Prepare: north acknowledges its question, then hangs without heartbeats until the test releases it.
    const release = deferred();
    const childClock = new ManualClock();
    await network.serve(NORTH, () => release.promise);
    await network.serve(
      AGGREGATOR,
      async (analysis) => {
        const federation = await analysis.startFederation({ nodes: ['north'] });
        const error = await federation.awaitMessages([NORTH], 'partial').catch((caught: unknown) => caught);
        analysis.outputValues = {
          name: (error as Error).name,
          participantId: (error as ParticipantFailed).participantId,
        };
      },
      { children: { north: NORTH }, childClock },
    );

    // Act: advance only the clock of the aggregator's questions to its nodes, past the heartbeat limit (360 s).
    let output: Record<string, string> | undefined;
    const asking = network.ask().then((values) => {
      output = values as Record<string, string>;
    });
    while (output === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      childClock.tick(30_000);
    }
    await asking;
    release.resolve();

    // Assess
    expect(output).toEqual({ name: ParticipantFailed.name, participantId: NORTH });
  });
});

describe('Method: readyCheck (a dead node)', () => {
  it('reports a node that never answers as not ready once the timeout passes, and leaves the caller`s list alone', async () => {
    // Prepare: north is served, south was never started.
    const peers = new Peers(network);
    await peers.serve(AGGREGATOR);
    await peers.serve(NORTH);
    const aggregator = await peers.join(AGGREGATOR);
    await peers.join(NORTH);
    const nodes = [NORTH, SOUTH];

    // Act
    const ready = await drive(aggregator.readyCheck(nodes, { attemptInterval: 30, timeout: 120 }), peers.clock, 100);

    // Assess
    expect(ready).toEqual({ [NORTH]: true, [SOUTH]: false });
    expect(nodes).toEqual([NORTH, SOUTH]);
    await peers.stop();
  });
});

async function listAnalyses(net: FederationNetwork): Promise<string[]> {
  const { prefixes } = await net.store.list('gs://federation-test/.skein/federation/', { delimiter: '/' });
  return prefixes.map((prefix) => prefix.split('/').filter(Boolean).pop() as string);
}

import { randomUUID } from 'node:crypto';

import type { FederatedAnalysis } from '../../../src/federation';
import { AGGREGATOR, FederationNetwork, NORTH, SOUTH } from './helpers';

let network: FederationNetwork;

beforeEach(async () => {
  network = await new FederationNetwork().start();
});

afterEach(async () => {
  await network.close();
});

/** A node that reports its data sources to the aggregator. */
async function reportingNode(analysis: FederatedAnalysis): Promise<void> {
  const federation = analysis.federation;
  if (federation === undefined) throw new Error('no federation context');
  const sources = federation.getDataSources();
  const files = await federation.getGcsData(['a.csv']);
  const aliased = await federation.getS3Data();
  await federation.sendMessage([federation.getAggregatorId() as string], 'sources', {
    role: federation.getRole(),
    hasData: federation.nodeHasData(),
    keys: sources?.map((source) => source.key) ?? null,
    client: sources === null ? null : (federation.getDataClient(sources[0]?.id as string)?.files.size ?? null),
    files:
      files?.map((source) => Object.fromEntries(Object.entries(source).map(([name, b]) => [name, b.toString()]))) ??
      null,
    allNames: aliased?.map((source) => Object.keys(source).sort()) ?? null,
  });
}

describe('Methods: getDataSources, getDataClient, getGcsData, getS3Data, nodeHasData', () => {
  it('lists a node`s input-manifest datasets and reads their files, and gives null on a node without data', async () => {
    // Prepare: north has a dataset of two files; south has none (a proxy).
    await network.store.upload('gs://federation-test/data/north/a.csv', 'x\n1\n');
    await network.store.upload('gs://federation-test/data/north/b.csv', 'x\n2\n');
    await network.serve(NORTH, reportingNode, { twineExtras: { input_manifest: { datasets: { readings: {} } } } });
    await network.serve(SOUTH, reportingNode);
    await network.serve(
      AGGREGATOR,
      async (analysis) => {
        const federation = await analysis.startFederation({
          nodes: ['north', 'south'],
          questions: {
            north: {
              inputManifest: {
                id: randomUUID(),
                name: null,
                datasets: { readings: 'gs://federation-test/data/north' },
              },
            },
          },
        });
        const reports = await federation.awaitMessages(federation.getParticipantIds(), 'sources');
        await federation.waitForNodes();
        analysis.outputValues = Object.fromEntries(
          Object.entries(reports).map(([node, list]) => [node, list?.[0]?.body]),
        );
      },
      { children: { north: NORTH, south: SOUTH } },
    );

    // Act
    const output = (await network.ask()) as Record<string, Record<string, unknown>>;

    // Assess
    expect(output[NORTH]).toEqual({
      role: 'default',
      hasData: true,
      keys: ['readings'],
      client: 2,
      files: [{ 'a.csv': 'x\n1\n' }],
      allNames: [['a.csv', 'b.csv']],
    });
    expect(output[SOUTH]).toEqual({
      role: 'proxy',
      hasData: false,
      keys: null,
      client: null,
      files: null,
      allNames: null,
    });
  });
});

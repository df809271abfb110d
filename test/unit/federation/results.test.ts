import { Dataset } from '../../../src/core/resources';
import { FederationRoleError } from '../../../src/federation';
import type { FederatedAnalysis } from '../../../src/federation';
import { prepareFinalResults } from '../../../src/federation/final-results';
import { InvalidInputException } from '../../../src/errors';
import { AGGREGATOR, FederationNetwork, MAILBOX_ROOT, NORTH, SOUTH } from './helpers';

let network: FederationNetwork;

beforeEach(async () => {
  network = await new FederationNetwork().start();
});

afterEach(async () => {
  await network.close();
});

/** A node that sends its partial sum as intermediate data and reports what submitFinalResult did on a node. */
async function summingNode(analysis: FederatedAnalysis): Promise<void> {
  const federation = analysis.federation;
  if (federation === undefined) throw new Error('no federation context');
  const aggregator = federation.getAggregatorId() as string;
  const refusal = await federation.submitFinalResult('not mine').catch((error: unknown) => error);
  const sum = federation.getId() === NORTH ? 10 : 32;
  await federation.sendIntermediateData([aggregator], { sum, refusal: (refusal as Error).name });
}

describe('Method: submitFinalResult', () => {
  it('writes the aggregated result as the output-manifest dataset, and refuses nodes with FederationRoleError', async () => {
    // Prepare
    await network.serve(NORTH, summingNode);
    await network.serve(SOUTH, summingNode);
    let manifestPath: string | undefined;
    await network.serve(
      AGGREGATOR,
      async (analysis) => {
        const federation = await analysis.startFederation({ nodes: ['north', 'south'] });
        const partials = (await federation.awaitIntermediateData(federation.getParticipantIds())) as Record<
          string,
          { sum: number; refusal: string }
        >;
        const total = Object.values(partials).reduce((sum, partial) => sum + partial.sum, 0);
        const statuses = await federation.submitFinalResult([{ total }, `total=${total}`], {
          multipleResults: true,
          outputType: ['json', 'str'],
          filename: 'total.json',
        });
        await federation.waitForNodes();
        manifestPath = analysis.outputManifest?.datasets?.final_results?.path;
        analysis.outputValues = { statuses, refusals: Object.values(partials).map((partial) => partial.refusal) };
      },
      {
        children: { north: NORTH, south: SOUTH },
        twineExtras: { output_manifest: { datasets: { final_results: {} } } },
      },
    );

    // Act
    const output = (await network.ask()) as { statuses: unknown; refusals: string[] };

    // Assess
    expect(output.statuses).toEqual([{ status: 'success' }, { status: 'success' }]);
    expect(output.refusals).toEqual([FederationRoleError.name, FederationRoleError.name]);
    expect(manifestPath).toMatch(new RegExp(`^${MAILBOX_ROOT}/[^/]+/final$`));
    const dataset = await Dataset.fromCloud(manifestPath as string, { store: network.store });
    const names = [...dataset.files].map((file) => file.name).sort();
    // '.json' is also a str extension, so FLAME's rule keeps it for the second (str) result.
    expect(names).toEqual(['total_1.json', 'total_2.json']);
    expect(JSON.parse((await network.store.read(`${manifestPath}/total_1.json`)).toString())).toEqual({ total: 42 });
    expect((await network.store.read(`${manifestPath}/total_2.json`)).toString()).toBe('total=42');
  });
});

describe('Function: prepareFinalResults', () => {
  const params = {
    uniform: () => 0.5,
    now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    newUuid: () => 'u-abcd',
    logger: undefined,
  };
  const names = (result: unknown, options: Parameters<typeof prepareFinalResults>[1]): string[] =>
    prepareFinalResults(result, options, params).files.map((file) => file.name);

  it.each([
    ['a default name with the type`s extension', 'x', {}, ['result_abcd_260102030405.txt']],
    ['a single name as given', 'x', { filename: 'out.csv' }, ['out.csv']],
    [
      'indexed names for several results',
      [1, 2],
      { multipleResults: true, filename: 'r.json', outputType: 'json' },
      ['r_1.json', 'r_2.json'],
    ],
    [
      'the type`s extension for an unexpected one',
      [1, 2],
      { multipleResults: true, filename: 'r.png' },
      ['r_1.txt', 'r_2.txt'],
    ],
    [
      'a list of names, cut to the results',
      [1, 2],
      { multipleResults: true, filename: ['a.txt', 'b.txt', 'c.txt'] },
      ['a.txt', 'b.txt'],
    ],
    ['the first of a list for one result', 'x', { filename: ['a.txt', 'b.txt'] }, ['a.txt']],
    ['one result for an array without multipleResults', [1, 2], { filename: 'all.txt' }, ['all.txt']],
  ])('gives %s', (_case, result, options, expected) => {
    expect(names(result, options as never)).toEqual(expected);
  });

  it.each([
    ['pickle', 'x', { outputType: 'pickle' }, "'pickle' has no meaning"],
    ['a name list shorter than the results', [1, 2, 3], { multipleResults: true, filename: ['a', 'b'] }, 'fewer'],
    ['a path as file name', 'x', { filename: '../../etc/passwd' }, 'plain file name'],
    ['bytes that are not a Buffer', 'x', { outputType: 'bytes' }, 'Buffer'],
    ['local DP on a string', 'x', { localDp: { epsilon: 1, sensitivity: 1 } }, 'finite number'],
    ['local DP on infinity', Infinity, { localDp: { epsilon: 1, sensitivity: 1 } }, 'finite number'],
    ['local DP with epsilon 0', 1, { localDp: { epsilon: 0, sensitivity: 1 } }, 'epsilon'],
  ])('refuses %s with InvalidInputException', (_case, result, options, message) => {
    expect(() => prepareFinalResults(result, options as never, params)).toThrow(InvalidInputException);
    expect(() => prepareFinalResults(result, options as never, params)).toThrow(message);
  });

  it('stores only the noisy value, as str, under local DP', () => {
    // Act: a uniform draw of 0.75 is Laplace's upper quartile, b·ln 2 above the value.
    const { files } = prepareFinalResults(
      10,
      { localDp: { epsilon: 0.5, sensitivity: 2 }, outputType: 'json' },
      {
        ...params,
        uniform: () => 0.75,
      },
    );

    // Assess
    expect(Number(files[0]?.contents.toString())).toBeCloseTo(10 + 4 * Math.log(2), 12);
    expect(files[0]?.name).toMatch(/\.txt$/);
  });
});

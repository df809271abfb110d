// Issue 4 §4 end to end: the aggregator and two csv-stats instances, all served by functions-framework from the
// compiled functions/ and fed by emulator push subscriptions whose endpoints name the topic. A parent asks the
// aggregator about two datasets on the GCS-compatible server; the aggregator asks csv-stats once per dataset in
// parallel. Both csv-stats instances receive every question (each has its own push subscription), and their shared
// claims in GCS make exactly one of them answer each.
import { join } from 'node:path';

import type { AggregatorOutput } from '../../../apps/aggregator';
import { createLogger, memoryLogSink } from '../../../src/service';
import { expectSummary, naiveSummary, NUMERIC_COLUMNS, readNaively } from '../../unit/apps/helpers';
import type { NaiveColumns } from '../../unit/apps/helpers';
import type { RunningFunction } from './function-server';
import { AGGREGATOR_ID, CSV_STATS_ID, EXAMPLES, FunctionNetwork, waitFor } from './function-network';

jest.setTimeout(300_000);

const SITES = ['harbour', 'north-ridge'] as const;

describe('Function: aggregator (asking csv-stats, all served by functions-framework)', () => {
  let network: FunctionNetwork;
  let aggregator: RunningFunction;
  let csvStats: RunningFunction[];

  beforeAll(async () => {
    network = await FunctionNetwork.start();
    [aggregator, ...csvStats] = await Promise.all([
      network.serve('aggregator', AGGREGATOR_ID),
      network.serve('csvStats', CSV_STATS_ID),
      network.serve('csvStats', CSV_STATS_ID),
    ]);
  });

  afterAll(async () => {
    await network?.close();
  });

  const count = (running: readonly RunningFunction[], text: string): number =>
    running.flatMap((server) => server.logs()).filter((line) => line.message.includes(text)).length;

  it('answers with the exactly pooled statistics, monitor messages and logs from every level', async () => {
    // Prepare
    const datasets = Object.fromEntries(
      await Promise.all(SITES.map(async (site) => [site, await network.uploadExample(site)] as const)),
    );
    const { sink, entries } = memoryLogSink();
    const parent = network.child(AGGREGATOR_ID, { logger: createLogger({ name: 'parent', sinks: [{ sink }] }) });
    const progress: { group: string; status: string; groups_finished: number }[] = [];

    // Act
    const { answer } = await parent.ask({
      inputManifest: { id: '2b0f5a3e-9c1d-4e7a-8f6b-5d4c3b2a1f00', datasets },
      inputValues: { columns: NUMERIC_COLUMNS },
      handleMonitorMessage: (data) => {
        progress.push(data as (typeof progress)[number]);
      },
      timeout: 240,
    });

    // Assess: the pooled statistics equal a naive computation over every file of both datasets.
    const output = answer.outputValues as AggregatorOutput;
    const naive: NaiveColumns = new Map();
    for (const site of SITES) readNaively(join(EXAMPLES, site), NUMERIC_COLUMNS, naive);
    expect(Object.keys(output.groups).sort()).toEqual([...SITES]);
    expect(output.combined.rows).toBe(output.groups.harbour!.rows + output.groups['north-ridge']!.rows);
    for (const column of NUMERIC_COLUMNS) {
      const { values, missing } = naive.get(column) ?? { values: [], missing: 0 };
      expectSummary(output.combined.columns[column], naiveSummary(values, missing));
    }

    // Monitor messages: the aggregator relayed progress and reported each group finishing.
    const finished = progress.filter((message) => message.status === 'finished');
    expect(finished.map((message) => message.group).sort()).toEqual([...SITES]);
    expect(Math.max(...finished.map((message) => message.groups_finished))).toBe(2);

    // Logs: the aggregator's own, and csv-stats' relayed through it.
    const logged = entries.map((entry) => entry.message);
    expect(logged.some((message) => message.includes('Pooled 2 groups'))).toBe(true);
    expect(logged.some((message) => message.includes('Reading 2024-03-week-1.csv'))).toBe(true);

    // Each question was answered once: the aggregator's, and each of the two csv-stats questions by one instance. A
    // function logs how its delivery ended after publishing the result, so its line may come after the answer.
    await waitFor(() => count([aggregator], 'ended answered') >= 1, "the aggregator's delivery report");
    await waitFor(() => count(csvStats, 'ended answered') >= 2, 'the csv-stats delivery reports');
    expect(count([aggregator], 'ended answered')).toBe(1);
    expect(count(csvStats, 'ended answered')).toBe(2);
  });
});

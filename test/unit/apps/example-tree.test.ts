import { join } from 'node:path';

import { EXAMPLE_DATA_DIRECTORY, startExampleTree } from '../../../apps/example-tree';
import { InMemoryBroker, InMemoryTransport } from '../../../src/cloud/memory';
import { createLogger, memoryLogSink } from '../../../src/service';
import {
  EXAMPLES,
  NUMERIC_COLUMNS,
  SITES,
  expectSummary,
  naiveSummary,
  readNaively,
  temporaryWorkspace,
} from './helpers';
import type { NaiveColumns } from './helpers';

describe('Function: startExampleTree', () => {
  it('answers with every site pooled, per-group progress and the children logs relayed with their labels', async () => {
    // Prepare: the embedded default (in-memory transport, a local object store), as `npm start` runs it.
    const workspace = temporaryWorkspace();
    const transport = new InMemoryTransport({
      topicName: 'example.octue.twined.services',
      broker: new InMemoryBroker(),
    });
    await transport.ensureTopic();
    const { sink, entries } = memoryLogSink();
    const tree = await startExampleTree({
      transport,
      objectStore: workspace.store,
      parentLogger: createLogger({ sinks: [{ sink }] }),
    });
    const progress: { group: string; group_fraction: number }[] = [];

    try {
      // Act
      const output = await tree.ask({ handleMonitorMessage: (data) => progress.push(data as (typeof progress)[0]) });

      // Assess
      const everything: NaiveColumns = new Map();
      for (const site of SITES) readNaively(join(EXAMPLES, site), NUMERIC_COLUMNS, everything);
      expect(output.combined.rows).toBe(336);
      for (const [column, { values, missing }] of everything) {
        expectSummary(output.combined.columns[column], naiveSummary(values, missing));
      }
      expect([...tree.groups].sort()).toEqual([...SITES]);
      for (const site of SITES) {
        expect(progress.filter((message) => message.group === site).at(-1)?.group_fraction).toBe(1);
      }
      // A csv-stats log, relayed by the aggregator to the parent, carries both services' labels.
      expect(
        entries.some((entry) => /aggregator:local \| [^\]]+\] \[skein-examples\/csv-stats:local/.test(entry.message)),
      ).toBe(true);
      expect(EXAMPLE_DATA_DIRECTORY).toBe(EXAMPLES);
    } finally {
      await tree.close();
      await transport.close();
      workspace.cleanup();
    }
  });
});

// csv-stats served by functions-framework (dist/functions, --signature-type=cloudevent) behind a push subscription on
// the Pub/Sub emulator, asked by a Child over the same topic, with its dataset and outputs on the GCS-compatible server.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { PubSub } from '@google-cloud/pubsub';

import type { CsvStatsOutput } from '../../../apps/csv-stats';
import {
  encodeAttributes,
  makeQuestionAttributes,
  makeQuestionEvent,
  serialiseEventData,
} from '../../../src/core/events';
import { createLogger, memoryLogSink } from '../../../src/service';
import { expectSummary, naiveSummary, NUMERIC_COLUMNS, readNaively } from '../../unit/apps/helpers';
import type { RunningFunction } from './function-server';
import { CSV_STATS_ID, EXAMPLES, FunctionNetwork, PARENT_ID, PROJECT_ID, waitFor } from './function-network';

jest.setTimeout(240_000);

/** An endpoint that refuses every push (500) and counts the deliveries of each message id. */
async function refusingEndpoint(): Promise<{ server: Server; url: string; deliveries: Map<string, number> }> {
  const deliveries = new Map<string, number>();
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const id = (JSON.parse(body) as { message?: { messageId?: string } }).message?.messageId ?? '?';
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
      response.statusCode = 500;
      response.end();
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/projects/${PROJECT_ID}/topics/control`, deliveries };
}

describe('Function: csvStats (functions-framework behind an emulator push subscription)', () => {
  let network: FunctionNetwork;
  let csvStats: RunningFunction;

  beforeAll(async () => {
    network = await FunctionNetwork.start();
    csvStats = await network.serve('csvStats', CSV_STATS_ID);
  });

  afterAll(async () => {
    await network?.close();
  });

  const linesAbout = (messageId: string): string[] =>
    csvStats
      .logs()
      .map((line) => line.message)
      .filter((message) => message.includes(`Message ${messageId} `));

  it('answers a pushed question with progress messages, logs, the statistics and a summary dataset in GCS', async () => {
    // Prepare
    const tables = await network.uploadExample('harbour');
    const { sink, entries } = memoryLogSink();
    const child = network.child(CSV_STATS_ID, { logger: createLogger({ name: 'parent', sinks: [{ sink }] }) });
    const progress: unknown[] = [];

    // Act
    const { answer, questionUuid } = await child.ask({
      inputManifest: { id: '6f1c7a52-0d4e-4f5b-9a0e-3c2b1d4e5f60', datasets: { tables } },
      handleMonitorMessage: (data) => {
        progress.push(data);
      },
      timeout: 180,
    });

    // Assess: statistics equal a naive computation over the same files.
    const output = answer.outputValues as CsvStatsOutput;
    const naive = readNaively(join(EXAMPLES, 'harbour'), NUMERIC_COLUMNS);
    for (const column of NUMERIC_COLUMNS) {
      const { values, missing } = naive.get(column) ?? { values: [], missing: 0 };
      expectSummary(output.columns[column], naiveSummary(values, missing));
    }
    expect(progress.at(-1)).toMatchObject({ file_number: 2, file_count: 2, fraction: 1 });
    expect(entries.some((entry) => entry.message.includes('Reading 2024-03-week-1.csv'))).toBe(true);
    const summary = answer.outputManifest?.datasets.summary;
    const summaryFile = summary?.files.one({ name: 'summary.csv' });
    expect(summaryFile?.cloudPath).toMatch(new RegExp(`^gs://${network.bucket}/outputs/`));
    expect(await network.store.exists(`gs://${network.bucket}/.skein/claims/${questionUuid}/0`)).toBe(true);
    expect(csvStats.logs().some((line) => line.message.includes(`(question ${questionUuid}) ended answered`))).toBe(
      true,
    );
  });

  it('acknowledges poison messages with a log line, and they are not pushed to it again', async () => {
    // Prepare: a second push subscription to an endpoint that refuses everything shows what redelivery looks like.
    const control = await refusingEndpoint();
    const client = new PubSub({ projectId: PROJECT_ID, apiEndpoint: process.env.PUBSUB_EMULATOR_HOST });
    try {
      await network.push(control.url);
      const topic = client.topic(network.topicName);
      const question = makeQuestionAttributes({ sender: PARENT_ID, recipient: CSV_STATS_ID });
      const toCsvStats = { recipient: CSV_STATS_ID, sender_type: 'PARENT' };
      const poison: [string, Buffer, Record<string, string>][] = [
        ['data that is not JSON', Buffer.from('{not json'), toCsvStats],
        ['empty data', Buffer.alloc(0), toCsvStats],
        ['a question without its attributes', serialiseEventData(makeQuestionEvent({})), toCsvStats],
        [
          'a question to another service',
          serialiseEventData(makeQuestionEvent({})),
          encodeAttributes({ ...question, recipient: 'skein-examples/other:0.1.0' }),
        ],
      ];

      // Act
      const ids = await Promise.all(poison.map(([, data, attributes]) => topic.publishMessage({ data, attributes })));
      await waitFor(() => ids.every((id) => (control.deliveries.get(id) ?? 0) >= 2), 'redeliveries to the control');

      // Assess: each was handled by the function once, with a line naming it, while the control saw each again.
      for (const [index, id] of ids.entries()) {
        expect({ message: poison[index]?.[0], lines: linesAbout(id).length }).toEqual({
          message: poison[index]?.[0],
          lines: 1,
        });
      }
      expect(linesAbout(ids[0] as string)[0]).toContain('ended invalid; it was acknowledged');
      expect(linesAbout(ids[1] as string)[0]).toContain('cannot be read');
      expect(linesAbout(ids[3] as string)[0]).toContain(`is not a question for ${CSV_STATS_ID}`);
    } finally {
      await client.close();
      await new Promise((closed) => control.server.close(closed));
    }
  });
});

// A deployed function is started by Cloud Run with the `http` signature type (a push subscription reaches it over
// plain HTTP, and FUNCTION_SIGNATURE_TYPE cannot be set). functions/index.ts registers its handlers as CloudEvent
// functions, so a push envelope must still be answered when functions-framework is started that way.
import type { CsvStatsOutput } from '../../../apps/csv-stats';
import { FunctionNetwork } from './function-network';

jest.setTimeout(240_000);

const HTTP_CSV_STATS_ID = 'skein-examples/csv-stats-http:0.1.0';

describe('Function: csvStats (functions-framework started with --signature-type=http, as when deployed)', () => {
  let network: FunctionNetwork;

  beforeAll(async () => {
    network = await FunctionNetwork.start();
    await network.serve('csvStats', HTTP_CSV_STATS_ID, { OCTUE_SERVICE_NAME: 'csv-stats-http' }, 'http');
  });

  afterAll(async () => {
    await network?.close();
  });

  it('answers a question pushed to it as a raw Pub/Sub envelope', async () => {
    const tables = await network.uploadExample('north-ridge');
    const child = network.child(HTTP_CSV_STATS_ID);

    const { answer } = await child.ask({
      inputManifest: { id: '0d7c4f6e-1a2b-4c3d-8e9f-a0b1c2d3e4f5', datasets: { tables } },
      timeout: 90,
    });

    const output = answer.outputValues as CsvStatsOutput;
    expect(output.rows).toBe(112);
  });
});

// Federation on the serverless path (issue 11 §6): the csvStats function (functions-framework, dist/functions) with the
// environment `serverless deploy` gives it plus SKEIN_FEDERATION_PROJECT. A federation message pushed to it is stored
// in its mailbox under the root deploy set (in the deployment's own bucket, on the GCS-compatible server) and
// acknowledged to the sender; the node's waiting code, elsewhere, reads it from there.
import { randomUUID } from 'node:crypto';

import { FEDERATION_MAILBOX_ROOT_ENV } from '../../../src/core/config';
import { functionEnvironment } from '../../../src/deploy/function-spec';
import { readDeploySettings } from '../../../src/deploy/read-settings';
import { createFederationRuntime, Federation } from '../../../src/federation';
import type { FederationContext, FederationOptions } from '../../../src/federation';
import { resolveFederationOptions } from '../../../src/federation/options';
import { Service } from '../../../src/service';
import { configInput } from '../../unit/deploy/config-input';
import { serveInProcess } from '../service/robustness-helpers';
import type { ServedService } from '../service/robustness-helpers';
import { CSV_STATS_ID, FunctionNetwork } from './function-network';

jest.setTimeout(120_000);

const AGGREGATOR = 'skein-tests/fed-aggregator:1.0.0';

describe('Function: csvStats with federation enabled', () => {
  let network: FunctionNetwork;
  let mailboxRoot: string;
  let aggregatorRoute: ServedService | undefined;

  beforeAll(async () => {
    network = await FunctionNetwork.start();
    const settings = readDeploySettings(
      configInput({ skein: { outputBucket: network.bucket, diagnosticsBucket: network.bucket } }),
    );
    const csvStats = settings.functions.find((fn) => fn.key === 'csvStats');
    if (csvStats === undefined) throw new Error('serverless.yml has no csvStats function');
    mailboxRoot = functionEnvironment(settings, csvStats)[FEDERATION_MAILBOX_ROOT_ENV] ?? '';
    await network.serve('csvStats', CSV_STATS_ID, {
      [FEDERATION_MAILBOX_ROOT_ENV]: mailboxRoot,
      SKEIN_FEDERATION_PROJECT: 'weather',
    });
  });

  afterAll(async () => {
    await aggregatorRoute?.stop();
    await network?.close();
  });

  it('stores a pushed federation message in the mailbox deploy placed, and acknowledges it', async () => {
    // Prepare: csv-stats has joined the analysis (as its question would make it), and the aggregator's route is served
    // here for the acknowledgement.
    const context: FederationContext = {
      analysisId: randomUUID(),
      projectId: 'weather',
      participants: [
        { nodeId: AGGREGATOR, nodeType: 'aggregator' },
        { nodeId: CSV_STATS_ID, nodeType: 'default' },
      ],
    };
    const options = (serviceId: string): FederationOptions => ({
      serviceId,
      transport: network.transport,
      objectStore: network.store,
      mailboxRoot,
      projectId: 'weather',
    });
    const runtime = createFederationRuntime(options(AGGREGATOR));
    aggregatorRoute = await serveInProcess(
      new Service({
        serviceId: AGGREGATOR,
        transport: network.transport,
        runFunction: async () => ({}),
        eventRoutes: [runtime.eventRoute],
      }),
    );
    const join = (serviceId: string, role: 'aggregator' | 'default'): Promise<Federation> =>
      Federation.join({ options: resolveFederationOptions(options(serviceId)), context, role });
    const node = await join(CSV_STATS_ID, 'default');
    const aggregator = await join(AGGREGATOR, 'aggregator');

    // Act
    const sent = await aggregator.sendMessage([CSV_STATS_ID], 'round', { estimate: 4 }, { maxAttempts: 3 });
    const received = await node.awaitMessages([AGGREGATOR], 'round', { timeout: 30 });

    // Assess
    expect(mailboxRoot).toBe(`gs://${network.bucket}/.skein/federation`);
    expect(sent).toMatchObject({ acknowledged: [CSV_STATS_ID], notAcknowledged: [] });
    expect(received[AGGREGATOR]?.map((message) => message.body)).toEqual([{ estimate: 4 }]);
    await Promise.all([node.close(), aggregator.close()]);
  });
});

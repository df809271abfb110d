import { makeDeliveryAcknowledgementEvent, makeResultEvent } from '../../../src/core/events';
import type { SqlHubStore } from '../../../src/hub/store/hub-store';
import { HUB_ENGINES } from '../../helpers/hub-databases';
import { conversation } from '../../helpers/hub-events';
import { openTestHub } from '../../helpers/hub-http';
import type { RunningHubApi } from '../../helpers/hub-http';

const file = (path: string) => ({ id: path, path, timestamp: null, tags: {}, labels: [] });

function resultWith(datasets: Record<string, unknown>) {
  return makeResultEvent({ outputValues: null, outputManifest: { id: 'm', name: null, datasets } });
}

describe.each(HUB_ENGINES)('REST API: analysis buckets (on %s)', (engine) => {
  let store: SqlHubStore;
  let api: RunningHubApi;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ store, api, stop } = await openTestHub(engine));
  });

  afterAll(() => stop());

  it("serves the datasets of a result's output manifest as buckets with their files, following a retry", async () => {
    // Prepare
    const table = {
      id: 't',
      name: 'table',
      tags: {},
      labels: [],
      path: 'gs://b/t',
      files: ['gs://b/t/a.csv', file('gs://b/t/b.csv')],
    };
    const first = conversation({
      responses: [makeDeliveryAcknowledgementEvent(), resultWith({ out: 'gs://b/out/dry-sun', table })],
    });
    const retry = conversation({
      questionUuid: first.questionUuid,
      retryCount: 1,
      responses: [resultWith({ out: 'gs://b/out/wet-moon' })],
    });
    const buckets = () =>
      api.request('GET', `/analysis-buckets?filter[analysisNodeId]=${first.questionUuid}&sort=name`);

    // Act
    await store.ingestEvents([...first.deliveries, ...first.deliveries]);
    const before = await buckets();
    const tableId = before.body.data[1]?.id as string;
    const files = await api.request(
      'GET',
      `/analysis-bucket-files?filter[bucketId]=${tableId}&sort=path&include=bucket`,
    );
    await store.ingestEvents(retry.deliveries);
    const after = await buckets();

    // Assess
    expect(before.body.data).toEqual([
      expect.objectContaining({ name: 'out', location: 'gs://b/out/dry-sun', analysisId: first.questionUuid }),
      expect.objectContaining({ name: 'table', location: 'gs://b/t' }),
    ]);
    expect(files.body.data.map((f: { path: string }) => f.path)).toEqual(['gs://b/t/a.csv', 'gs://b/t/b.csv']);
    expect(files.body.data[0].bucket).toMatchObject({ id: tableId, name: 'table' });
    expect(after.body.data.map((b: { name: string; location: string }) => [b.name, b.location])).toEqual([
      ['out', 'gs://b/out/wet-moon'],
      ['table', 'gs://b/t'],
    ]);
  });

  it('is read-only over the API', async () => {
    expect((await api.request('POST', '/analysis-buckets', { name: 'x' })).status).toBe(405);
    expect((await api.request('POST', '/analysis-bucket-files', { path: 'x' })).status).toBe(405);
  });
});

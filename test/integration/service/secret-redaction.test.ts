// Credentials never leave a service on the real components: the Pub/Sub emulator carries every event to a real
// Child, and crash diagnostics go to the GCS-compatible server started by global setup. The app hands the secret to
// an echo child (which knows no secrets and sends it back), so the diagnostics' record of that question holds it.
import { randomUUID } from 'node:crypto';

import { REDACTED } from '../../../src/core/redaction';
import { createLogger, memoryLogSink, Runner, Service } from '../../../src/service';
import type { Analysis, SkeinLogEntry } from '../../../src/service';
import { Child, childFactory } from '../../../src/service/child';
import { emulatorStore, emulatorTopic, PROJECT_ID } from '../../helpers/emulated-components';

const PARENT = 'acme/parent:1.0.0';
const SERVICE = 'acme/keyed-it:1.0.0';
const ECHO = 'acme/echo-it:1.0.0';
const SECRET = 'it-Secret-Token-7c1d"quoted"';
// The secret's plain run: found in any form (raw, escaped, URL-encoded) or part.
const NEEDLE = 'it-Secret-Token-7c1d';

function logText(entries: readonly SkeinLogEntry[]): string {
  return JSON.stringify(entries.map((entry) => [entry.message, entry.args, (entry.error as Error | undefined)?.stack]));
}

describe('Secrets of the credentials strand (Pub/Sub emulator and GCS server)', () => {
  it('are in no event the parent receives, no log line and no diagnostics object after a crash', async () => {
    // Prepare
    const transport = await emulatorTopic('it-secrets');
    const store = emulatorStore();
    const bucket = `secrets-it-${randomUUID().slice(0, 8)}`;
    await store.storage.createBucket(bucket);
    const seen: string[] = [];
    const app = async (analysis: Analysis): Promise<void> => {
      const key = analysis.credentials.KEYED_IT_KEY as string;
      seen.push(key);
      analysis.logger.info('Authenticating with %s.', key);
      analysis.sendMonitorMessage({ using: key });
      await analysis.children.echo?.ask({ inputValues: { key }, timeout: 60 });
      throw new Error(`The API refused ${JSON.stringify({ key })}`);
    };
    const serviceLogs = memoryLogSink();
    const service = new Service({
      serviceId: SERVICE,
      transport,
      logger: createLogger({ sinks: [{ sink: serviceLogs.sink }] }),
      runner: new Runner({
        app,
        twine: {
          credentials: [{ name: 'KEYED_IT_KEY' }],
          children: [{ key: 'echo' }],
          input_values_schema: { type: 'object' },
          monitor_message_schema: { type: 'object' },
        },
        env: { KEYED_IT_KEY: SECRET },
        serviceId: SERVICE,
        children: [{ key: 'echo', id: ECHO, backend: { name: 'GCPPubSubBackend', project_id: PROJECT_ID } }],
        childFactory: childFactory({ transport }),
        objectStore: store,
        diagnosticsCloudPath: `gs://${bucket}/diagnostics`,
      }),
    });
    const echo = new Service({
      serviceId: ECHO,
      transport,
      runFunction: async ({ inputValues }) => ({ outputValues: inputValues }),
    });
    const controller = new AbortController();
    const serving: Promise<void>[] = [];
    for (const served of [service, echo]) {
      let ready!: () => void;
      const isReady = new Promise<void>((resolve) => {
        ready = resolve;
      });
      serving.push(served.serve({ signal: controller.signal, deleteSubscriptionOnExit: true, onReady: () => ready() }));
      await isReady;
    }
    const parentLogs = memoryLogSink();
    const child = new Child({
      id: SERVICE,
      transport,
      parentSruid: PARENT,
      logger: createLogger({ name: 'parent', sinks: [{ sink: parentLogs.sink }] }),
    });

    // Act
    const error = (await child
      .ask({ inputValues: { n: 1 }, saveDiagnostics: 'SAVE_DIAGNOSTICS_ON_CRASH', timeout: 60 })
      .catch((caught: unknown) => caught)) as Error;
    await child.close();
    controller.abort();
    await Promise.all(serving);
    const listed = await store.list(`gs://${bucket}/diagnostics/`);
    const objects = await Promise.all(
      listed.objects.map(async (object) => (await store.read(object.location)).toString()),
    );
    await transport.deleteTopic();
    await transport.close();

    // Assess: the app really had the secret, and the parent got logs, a monitor message and the error...
    expect(seen).toEqual([SECRET]);
    const kinds = (child.receivedEvents ?? []).map((recorded) => recorded.event.kind);
    expect(kinds).toEqual(expect.arrayContaining(['log_record', 'monitor_message', 'exception']));
    expect(error.message).toContain(`The API refused {"key":"${REDACTED}"}`);
    expect(listed.objects.map((object) => object.name).sort()).toEqual([
      expect.stringMatching(/input_values\.json$/),
      expect.stringMatching(/questions\.json$/),
    ]);
    // ...with the secret nowhere.
    const everything = [
      JSON.stringify(child.receivedEvents),
      `${error.message}\n${error.stack ?? ''}`,
      logText(serviceLogs.entries),
      logText(parentLogs.entries),
      ...objects,
    ];
    expect(everything.filter((text) => text.includes(NEEDLE))).toEqual([]);
    expect(JSON.stringify(child.receivedEvents)).toContain(REDACTED);
    expect(objects.find((text) => text.includes('"events"'))).toContain(REDACTED);
  });
});

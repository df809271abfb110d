// A live ask through the in-memory transport, recorded to a file and replayed with a ChildEmulator, gives the same
// answer, monitor messages and relabelled logs; a live failure replays as the same error.
import { join } from 'node:path';

import { InvalidValuesContents } from '../../../../src/errors';
import { createLogger } from '../../../../src/service';
import type { SkeinLogEntry } from '../../../../src/service';
import type { ChildAskOptions } from '../../../../src/service/child';
import { ChildEmulator, saveRecordedEvents } from '../../../../src/service/child-emulator';
import { CHILD, MemoryNetwork } from '../child/helpers';
import { recordingLogger, temporaryDirectory } from './helpers';

interface Observed {
  readonly outcome: unknown;
  readonly messages: unknown[];
  readonly logs: [string, string][];
}

// Asks through `ask` and collects what the asker sees: the answer (or error), monitor messages and child logs.
async function observe(
  ask: (options: ChildAskOptions) => Promise<unknown>,
  entries: SkeinLogEntry[],
): Promise<Observed> {
  const messages: unknown[] = [];
  const outcome = await ask({ inputValues: { n: 3 }, handleMonitorMessage: (data) => void messages.push(data) })
    .then((result) => (result as { answer: unknown }).answer)
    .catch((error: unknown) => error);
  const logs = entries
    .filter((entry) => entry.name === 'app')
    .map((entry): [string, string] => [entry.level, entry.message]);
  return { outcome, messages, logs };
}

describe('Recording a live ask and replaying it', () => {
  let network: MemoryNetwork;
  let directory: ReturnType<typeof temporaryDirectory>;

  beforeEach(async () => {
    network = await MemoryNetwork.start();
    directory = temporaryDirectory();
  });

  afterEach(async () => {
    await network.close();
    directory.cleanup();
  });

  it('replays to the same answer, monitor messages and labelled logs', async () => {
    await network.serve(async ({ inputValues, handleMonitorMessage }) => {
      const app = createLogger({ name: 'app' });
      app.info('Squaring %d numbers.', (inputValues as { n: number }).n);
      handleMonitorMessage?.({ progress: 0.5, seen: new Set([1, 2]) });
      app.warning('Almost there.');
      handleMonitorMessage?.({ progress: 1 });
      return { outputValues: { squares: [1, 4, 9] } };
    });
    const live = recordingLogger();
    const child = network.child({ logger: live.logger });
    const liveRun = await observe((options) => child.ask(options), live.entries);
    const file = join(directory.path, 'child.json');

    await saveRecordedEvents(file, child.receivedEvents);
    const replay = recordingLogger();
    const emulator = await ChildEmulator.fromFile(file, { logger: replay.logger });
    const replayed = await observe((options) => emulator.ask(options), replay.entries);

    expect(emulator.id).toBe(CHILD);
    expect(replayed.outcome).toEqual({ outputValues: { squares: [1, 4, 9] }, outputManifest: null });
    expect(replayed.outcome).toEqual(liveRun.outcome);
    expect(replayed.messages).toEqual([{ progress: 0.5, seen: new Set([1, 2]) }, { progress: 1 }]);
    expect(replayed.messages).toEqual(liveRun.messages);
    const questionUuid = child.receivedEvents?.[0]?.attributes.question_uuid;
    expect(replayed.logs).toEqual([
      ['info', `[${CHILD} | ${questionUuid}] Squaring 3 numbers.`],
      ['warning', `[${CHILD} | ${questionUuid}] Almost there.`],
    ]);
    expect(replayed.logs).toEqual(liveRun.logs);
    expect(emulator.receivedEvents?.map((event) => event.event.kind)).toEqual(
      child.receivedEvents?.map((event) => event.event.kind),
    );
  });

  it('replays a failed ask as the same error', async () => {
    await network.serve(async () => {
      throw new InvalidValuesContents('n must be > 0');
    });
    const child = network.child();
    const live = await child.ask().catch((error: unknown) => error);
    const file = join(directory.path, 'failing-child.json');

    await saveRecordedEvents(file, child.receivedEvents);
    const replayed = await (await ChildEmulator.fromFile(file)).ask().catch((error: unknown) => error);

    expect(live).toBeInstanceOf(InvalidValuesContents);
    expect(replayed).toBeInstanceOf(InvalidValuesContents);
    expect((replayed as Error).message).toBe((live as Error).message);
  });
});

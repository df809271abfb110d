import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { InvalidRecording } from '../../../../src/errors';
import { ChildEmulator } from '../../../../src/service/child-emulator';
import {
  HOSTILE_KEYS_JSON,
  expectHostileKeysKeptAsData,
  objectPrototypePolluted,
} from '../../../helpers/prototype-keys';
import { ATTRIBUTES, temporaryDirectory } from './helpers';

let directory: ReturnType<typeof temporaryDirectory>;

beforeEach(() => {
  directory = temporaryDirectory();
});

afterEach(() => {
  directory.cleanup();
  expect(objectPrototypePolluted()).toBe(false);
});

// A recording as text; a `_type` value anywhere in it sends the whole file through the Octue JSON decoder.
function writeRecording(events: string[], withOctueTypes: boolean): string {
  const stamp = withOctueTypes ? '{"_type": "set", "items": [1]}' : '[1]';
  const file = join(directory.path, 'events.json');
  const attributes = JSON.stringify(ATTRIBUTES);
  const body = events.map((event) => `{"event": ${event}, "attributes": ${attributes}}`).join(', ');
  writeFileSync(file, `{"stamp": ${stamp}, "events": [${body}]}`);
  return file;
}

describe('Class: ChildEmulator (prototype keys in recordings)', () => {
  it.each([
    ['with Octue types', true],
    ['as plain JSON', false],
  ])('replays output values %s with the keys as own data', async (_case, withOctueTypes) => {
    const file = writeRecording([`{"kind": "result", "output_values": ${HOSTILE_KEYS_JSON}}`], withOctueTypes);

    const { answer } = await ChildEmulator.fromFile(file).then((emulator) => emulator.ask());

    expectHostileKeysKeptAsData((answer as { outputValues: unknown }).outputValues);
  });

  it('refuses a recorded event whose required fields sit only in a __proto__ key', async () => {
    const file = writeRecording(
      ['{"kind": "monitor_message", "__proto__": {"data": 1}}', '{"kind": "result", "output_values": 1}'],
      true,
    );

    await expect(ChildEmulator.fromFile(file)).rejects.toThrow(InvalidRecording);
    await expect(ChildEmulator.fromFile(file)).rejects.toThrow("must have required property 'data'");
  });
});

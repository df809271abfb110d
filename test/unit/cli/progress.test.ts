import { Writable } from 'node:stream';

import { transferBars } from '../../../src/cli/progress';
import type { ProgressStream } from '../../../src/cli/context';

/** A stream that records what is written and says whether it is a terminal. */
function stream(isTTY: boolean): { stream: ProgressStream; written: () => string } {
  let text = '';
  const writable = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  Object.assign(writable, { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream: writable as ProgressStream, written: () => text };
}

describe('Function: transferBars', () => {
  it('draws a bar per transfer on a terminal, up to the bytes moved, keeping the end of long names', () => {
    const terminal = stream(true);
    const bars = transferBars(terminal.stream);
    const bar = bars.add('input_manifest_datasets/rainfall/day-1.csv', 2048);
    bar.onProgress({ bytes: 1024, totalBytes: 2048 });
    bar.done();
    bars.stop();
    expect(bars.enabled).toBe(true);
    expect(terminal.written()).toMatch(
      /…ut_manifest_datasets\/rainfall\/day-1\.csv \[█{40}\] 100% \| 2048\/2048 bytes/,
    );
  });

  it.each([
    ['the stream is not a terminal', stream(false).stream, {}],
    ['the command prints JSON', stream(true).stream, { json: true }],
    ['there is no stream', undefined, {}],
  ])('draws nothing when %s', (_case, target, options) => {
    const bars = transferBars(target, options);
    const bar = bars.add('a.csv', 10);
    bar.onProgress({ bytes: 5 });
    bar.done();
    bars.stop();
    expect(bars.enabled).toBe(false);
    if (target !== undefined) expect((target as unknown as { writableLength: number }).writableLength).toBe(0);
  });
});

import { formatTraceback, parseStackFrames } from '../../../../src/core/events';

const STACK = [
  'TypeError: bad',
  '    at inner (/app/dist/inner.js:10:15)',
  '    at async Runner.run [as go] (/app/dist/runner.js:42:7)',
  '    at new Service (file:///app/dist/service.mjs:3:1)',
  '    at Array.map (<anonymous>)',
  '    at /app/dist/main.js:1:1',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
].join('\n');

describe('Function: parseStackFrames', () => {
  it('parses V8 frames, innermost first', () => {
    expect(parseStackFrames(STACK)).toEqual([
      { functionName: 'inner', file: '/app/dist/inner.js', line: 10 },
      { functionName: 'Runner.run [as go]', file: '/app/dist/runner.js', line: 42 },
      { functionName: 'new Service', file: 'file:///app/dist/service.mjs', line: 3 },
      { functionName: 'Array.map', file: '<anonymous>', line: undefined },
      { functionName: '<module>', file: '/app/dist/main.js', line: 1 },
      { functionName: 'process.processTicksAndRejections', file: 'node:internal/process/task_queues', line: 95 },
    ]);
  });

  it('ignores a multi-line message before the frames', () => {
    expect(parseStackFrames('Error: line one\nline two\n    at f (/a.js:1:2)')).toHaveLength(1);
  });
});

describe('Function: formatTraceback', () => {
  it("formats frames oldest first like Python's traceback.format_list", () => {
    const error = new TypeError('bad');
    error.stack = STACK;
    expect(formatTraceback(error)).toEqual([
      '  File "node:internal/process/task_queues", line 95, in process.processTicksAndRejections\n',
      '  File "/app/dist/main.js", line 1, in <module>\n',
      '  File "<anonymous>", line None, in Array.map\n',
      '  File "file:///app/dist/service.mjs", line 3, in new Service\n',
      '  File "/app/dist/runner.js", line 42, in Runner.run [as go]\n',
      '  File "/app/dist/inner.js", line 10, in inner\n',
    ]);
  });

  it.each([undefined, null, 'text', { stack: 3 }])('gives no frames for %j', (value) => {
    expect(formatTraceback(value)).toEqual([]);
  });
});

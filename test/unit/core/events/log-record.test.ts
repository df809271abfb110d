import { InvalidEvent } from '../../../../src/errors';
import {
  LOG_LEVELS,
  LOG_LEVEL_NUMBERS,
  fromPythonLogRecord,
  makeLogRecordEvent,
  toPythonLogRecord,
} from '../../../../src/core/events';
import type { LogEntry } from '../../../../src/core/events';

const TIME = new Date('2024-03-06T15:44:18.187Z');

const ENTRY: LogEntry = {
  name: 'app',
  level: 'info',
  message: 'Started %s with %d inputs.',
  args: ['analysis', 3],
  time: TIME,
  pathname: '/workspace/app/main.ts',
  lineno: 15,
  funcName: 'run',
  relativeCreated: 5152.5,
  thread: 1,
  threadName: 'worker-1',
  process: 7,
  processName: 'skein',
};

describe('Function: toPythonLogRecord', () => {
  it("builds every field Python's logging.makeLogRecord needs", () => {
    expect(toPythonLogRecord(ENTRY)).toEqual({
      name: 'app',
      msg: 'Started analysis with 3 inputs.',
      args: null,
      levelname: 'INFO',
      levelno: 20,
      pathname: '/workspace/app/main.ts',
      filename: 'main.ts',
      module: 'main',
      lineno: 15,
      funcName: 'run',
      created: 1709739858.187,
      msecs: 187,
      relativeCreated: 5152.5,
      thread: 1,
      threadName: 'worker-1',
      process: 7,
      processName: 'skein',
      exc_info: null,
      exc_text: null,
      stack_info: null,
    });
  });

  it.each(LOG_LEVELS.map((level) => [level, level.toUpperCase(), LOG_LEVEL_NUMBERS[level]]))(
    'maps the level %s to %s / %i',
    (level, levelname, levelno) => {
      const record = toPythonLogRecord({ ...ENTRY, level });
      expect([record.levelname, record.levelno]).toEqual([levelname, levelno]);
    },
  );

  it('names a level between the named ones as Python does', () => {
    const record = toPythonLogRecord({ ...ENTRY, level: 'info', levelno: 25 });
    expect([record.levelname, record.levelno]).toEqual(['Level 25', 25]);
  });

  it('strips ANSI escape sequences from the message', () => {
    const record = toPythonLogRecord({
      ...ENTRY,
      message: '\u001b[31mred\u001b[0m and \u001b[1mbold\u001b[22m',
      args: [],
    });
    expect(record.msg).toBe('red and bold');
  });

  it('fills defaults for an entry without location or process details', () => {
    const record = toPythonLogRecord({ name: 'app', level: 'debug', message: 'hi', time: TIME });
    expect(record).toMatchObject({
      msg: 'hi',
      pathname: '(unknown file)',
      filename: '(unknown file)',
      lineno: 0,
      funcName: '(unknown function)',
      thread: 0,
      threadName: 'MainThread',
      process: process.pid,
      processName: 'MainProcess',
    });
    expect(typeof record.relativeCreated).toBe('number');
  });

  it('sends an error as Python-style exception text', () => {
    const error = new RangeError('n must be > 0');
    const record = toPythonLogRecord({ ...ENTRY, error });
    expect(record.exc_text).toMatch(/^Traceback \(most recent call last\):\n {2}File ".*", line \d+, in /);
    expect(record.exc_text).toMatch(/\nValueError: n must be > 0$/);
    expect(record.exc_info).toBeNull();
  });
});

describe('Function: makeLogRecordEvent', () => {
  it('wraps the record in a log_record event', () => {
    const event = makeLogRecordEvent(ENTRY);
    expect(event.kind).toBe('log_record');
    expect(event.log_record.msg).toBe('Started analysis with 3 inputs.');
  });
});

describe('Function: fromPythonLogRecord', () => {
  const GOLDEN_RECORD = {
    args: null,
    created: 1709739858.1877987,
    exc_info: null,
    exc_text: null,
    filename: 'app.py',
    funcName: 'run',
    levelname: 'INFO',
    levelno: 20,
    lineno: 15,
    module: 'app',
    msecs: 187.79873847961426,
    msg: 'Started example analysis.',
    name: 'app',
    pathname: '/workspace/example_service_cloud_run/app.py',
    process: 2,
    processName: 'MainProcess',
    relativeCreated: 5152.963876724243,
    stack_info: null,
    thread: 68328473233152,
    threadName: 'ThreadPoolExecutor-0_2',
  };

  it('turns a Python record back into a log entry', () => {
    expect(fromPythonLogRecord(GOLDEN_RECORD)).toEqual({
      name: 'app',
      level: 'info',
      levelno: 20,
      message: 'Started example analysis.',
      time: new Date(1709739858187.7987),
      pathname: '/workspace/example_service_cloud_run/app.py',
      lineno: 15,
      funcName: 'run',
      relativeCreated: 5152.963876724243,
      thread: 68328473233152,
      threadName: 'ThreadPoolExecutor-0_2',
      process: 2,
      processName: 'MainProcess',
    });
  });

  it.each([
    [5, 'debug'],
    [10, 'debug'],
    [25, 'info'],
    [30, 'warning'],
    [45, 'error'],
    [50, 'critical'],
  ])('maps levelno %i to %s', (levelno, level) => {
    expect(fromPythonLogRecord({ ...GOLDEN_RECORD, levelno }).level).toBe(level);
  });

  it("defaults to INFO when levelno is missing, as Octue's handler does", () => {
    const { levelno: _levelno, ...record } = GOLDEN_RECORD;
    expect(fromPythonLogRecord(record).level).toBe('info');
  });

  it('round-trips a record made here', () => {
    const entry = fromPythonLogRecord(toPythonLogRecord({ ...ENTRY, excText: 'Traceback…' }));
    expect(entry).toMatchObject({
      name: 'app',
      level: 'info',
      message: 'Started analysis with 3 inputs.',
      excText: 'Traceback…',
    });
    expect(entry.time).toEqual(TIME);
    expect(toPythonLogRecord(entry)).toEqual(toPythonLogRecord({ ...ENTRY, excText: 'Traceback…' }));
  });

  it.each([null, 'a message', ['a']])('throws InvalidEvent for the record %j', (record) => {
    expect(() => fromPythonLogRecord(record)).toThrow(InvalidEvent);
  });

  it('throws InvalidEvent when msg is not a string', () => {
    expect(() => fromPythonLogRecord({ ...GOLDEN_RECORD, msg: 3 })).toThrow(/"msg" must be a string/);
  });
});

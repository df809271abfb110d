import {
  createLogger,
  formatLogEntry,
  memoryLogSink,
  runOutsideLogContext,
  runWithLogContext,
  streamLogSink,
} from '../../../src/service';

describe('Function: createLogger', () => {
  it('delivers entries with the logger name, level, arguments and error to its sinks', () => {
    const { sink, entries } = memoryLogSink();
    const logger = createLogger({ name: 'skein', sinks: [{ sink }] });
    const error = new Error('boom');

    logger.child('runner').info('Ran %d apps.', 2);
    logger.withName('app').exception('Failed.', error);

    expect(entries).toEqual([
      expect.objectContaining({ name: 'skein.runner', level: 'info', message: 'Ran %d apps.', args: [2] }),
      expect.objectContaining({ name: 'app', level: 'error', message: 'Failed.', error }),
    ]);
  });

  it('filters each sink by its level and survives a throwing sink', () => {
    const { sink, entries } = memoryLogSink();
    const logger = createLogger({
      sinks: [
        {
          sink: () => {
            throw new Error('broken sink');
          },
        },
        { sink, level: 'warning' },
      ],
    });

    logger.debug('d');
    logger.info('i');
    logger.warning('w');
    logger.error('e');

    expect(entries.map((entry) => entry.message)).toEqual(['w', 'e']);
  });
});

describe('Function: runWithLogContext', () => {
  it('also delivers to the context sinks, tagged with the analysis id, across async calls and nested contexts', async () => {
    // Prepare
    const base = memoryLogSink();
    const outer = memoryLogSink();
    const inner = memoryLogSink();
    const logger = createLogger({ sinks: [{ sink: base.sink }] });

    // Act
    logger.info('before');
    await runWithLogContext({ analysisId: 'q-1', sinks: [{ sink: outer.sink }] }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.info('inside');
      await runWithLogContext({ sinks: [{ sink: inner.sink }] }, async () => logger.info('nested'));
      runOutsideLogContext(() => logger.info('outside'));
    });

    // Assess
    expect(base.entries.map((entry) => entry.message)).toEqual(['before', 'inside', 'nested', 'outside']);
    expect(outer.entries.map((entry) => [entry.message, entry.analysisId])).toEqual([
      ['inside', 'q-1'],
      ['nested', 'q-1'],
    ]);
    expect(inner.entries.map((entry) => entry.message)).toEqual(['nested']);
  });

  it('keeps concurrent contexts apart', async () => {
    const first = memoryLogSink();
    const second = memoryLogSink();
    const logger = createLogger();
    const run = (analysisId: string, sink: typeof first.sink): Promise<void> =>
      runWithLogContext({ analysisId, sinks: [{ sink }] }, async () => {
        for (let i = 0; i < 3; i++) {
          logger.info(analysisId);
          await new Promise((resolve) => setImmediate(resolve));
        }
      });

    await Promise.all([run('a', first.sink), run('b', second.sink)]);

    expect(first.entries.map((entry) => entry.message)).toEqual(['a', 'a', 'a']);
    expect(second.entries.map((entry) => entry.message)).toEqual(['b', 'b', 'b']);
  });
});

describe('Function: formatLogEntry', () => {
  const time = new Date('2025-06-01T10:00:00.000Z');

  it.each([
    [{}, '[2025-06-01T10:00:00.000Z | INFO | app] [q-1] Ran 2 apps.'],
    [{ includeTime: false }, '[INFO | app] [q-1] Ran 2 apps.'],
  ])('formats as Octue does with options %j', (options, expected) => {
    const entry = { name: 'app', level: 'info' as const, message: 'Ran %d apps.', args: [2], time, analysisId: 'q-1' };

    expect(formatLogEntry(entry, options)).toBe(expected);
  });

  it('writes formatted lines to a stream', () => {
    const written: string[] = [];
    const sink = streamLogSink({ write: (text: string) => written.push(text) }, { includeTime: false });

    sink({ name: 'skein', level: 'warning', message: 'Careful.', time });

    expect(written).toEqual(['[WARNING | skein] Careful.\n']);
  });
});

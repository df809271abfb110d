import { cloudLoggingSink, functionLogger } from '../../../src/functions';
import { runWithLogContext } from '../../../src/service';

function lines(): { write(text: string): void; parsed: () => Record<string, unknown>[] } {
  const written: string[] = [];
  return {
    write: (text) => written.push(text),
    parsed: () => written.map((text) => JSON.parse(text) as Record<string, unknown>),
  };
}

describe('Function: cloudLoggingSink', () => {
  it.each([
    ['debug', 'DEBUG'],
    ['info', 'INFO'],
    ['warning', 'WARNING'],
    ['error', 'ERROR'],
    ['critical', 'CRITICAL'],
  ] as const)('writes a %s entry as one JSON line with severity %s', (level, severity) => {
    // Prepare
    const stream = lines();

    // Act
    cloudLoggingSink(stream)({ name: 'skein.service', level, message: 'Hello %s.', args: ['world'], time: new Date() });

    // Assess
    expect(stream.parsed()).toEqual([
      {
        severity,
        message: `[${level.toUpperCase()} | skein.service] Hello world.`,
        'logging.googleapis.com/labels': { logger: 'skein.service' },
      },
    ]);
  });
});

describe('Function: functionLogger', () => {
  it('writes info and above with the analysis id as a label, and leaves out debug', () => {
    // Prepare
    const stream = lines();
    const logger = functionLogger({ stream });

    // Act
    logger.debug('Not written.');
    runWithLogContext({ analysisId: 'q-1' }, () => logger.exception('It failed.', new Error('boom')));

    // Assess
    const written = stream.parsed();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      severity: 'ERROR',
      'logging.googleapis.com/labels': { logger: 'skein', analysis_id: 'q-1' },
    });
    expect(written[0]?.message).toContain('[q-1] It failed.\nError: boom');
  });
});

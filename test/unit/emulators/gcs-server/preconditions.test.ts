import {
  checkPreconditions,
  checkReadPreconditions,
  parsePreconditions,
} from '../../../../src/emulators/gcs-server/preconditions';
import type { ObjectRecord } from '../../../../src/emulators/gcs-server/types';

const live = { generation: 100, metageneration: 3 } as ObjectRecord;

describe('Function: parsePreconditions', () => {
  it('reads the four conditions, with an ifSource prefix for copy sources', () => {
    const query = new URLSearchParams('ifGenerationMatch=0&ifMetagenerationNotMatch=2&ifSourceGenerationMatch=7');
    expect(parsePreconditions(query)).toEqual({ ifGenerationMatch: 0, ifMetagenerationNotMatch: 2 });
    expect(parsePreconditions(query, 'ifSource')).toEqual({ ifGenerationMatch: 7 });
  });

  it.each([['abc'], ['-1'], ['1.5'], ['']])('throws 400 for ifGenerationMatch=%j', (value) => {
    expect(() => parsePreconditions(new URLSearchParams({ ifGenerationMatch: value }))).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});

describe('Function: checkPreconditions', () => {
  it.each([
    [{ ifGenerationMatch: 0 }, undefined, true],
    [{ ifGenerationMatch: 0 }, live, false],
    [{ ifGenerationMatch: 100 }, live, true],
    [{ ifGenerationMatch: 99 }, live, false],
    [{ ifGenerationMatch: 100 }, undefined, false],
    [{ ifGenerationNotMatch: 100 }, live, false],
    [{ ifGenerationNotMatch: 0 }, undefined, false],
    [{ ifGenerationNotMatch: 0 }, live, true],
    [{ ifMetagenerationMatch: 3 }, live, true],
    [{ ifMetagenerationMatch: 2 }, live, false],
    [{ ifMetagenerationMatch: 1 }, undefined, false],
    [{ ifMetagenerationNotMatch: 3 }, live, false],
    [{ ifMetagenerationNotMatch: 3 }, undefined, true],
    [{}, undefined, true],
  ])('checks %j against %j (passes: %s)', (conditions, object, passes) => {
    const check = (): void => checkPreconditions(conditions, object);
    if (passes) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ status: 412, reason: 'conditionNotMet' }));
  });
});

describe('Function: checkReadPreconditions', () => {
  it.each([
    [{ ifGenerationNotMatch: 100 }, 304],
    [{ ifMetagenerationNotMatch: 3 }, 304],
    [{ ifGenerationMatch: 1 }, 412],
  ])('answers %j with %i', (conditions, status) => {
    expect(() => checkReadPreconditions(conditions, live)).toThrow(expect.objectContaining({ status }));
  });
});

import type { ErrorObject } from 'ajv';

import {
  escapePointerToken,
  joinPointer,
  toValidationFailures,
  validateWithSchema,
} from '../../../../src/core/json-schema';

function ajvError(partial: Partial<ErrorObject> & Pick<ErrorObject, 'keyword' | 'params'>): ErrorObject {
  return { instancePath: '', schemaPath: '#', message: 'fails', ...partial };
}

describe('Function: toValidationFailures', () => {
  it('points a required failure at the missing property', () => {
    const result = validateWithSchema({ type: 'object', required: ['height'] }, {});
    expect(result.failures).toEqual([
      { pointer: '/height', message: "must have required property 'height'", keyword: 'required' },
    ]);
  });

  it('points a nested required failure at the missing property inside its parent', () => {
    const schema = { properties: { sizes: { type: 'array', items: { required: ['width'] } } } };
    const result = validateWithSchema(schema, { sizes: [{ width: 1 }, {}] });
    expect(result.failures.map((f) => f.pointer)).toEqual(['/sizes/1/width']);
  });

  it('points an additionalProperties failure at the unexpected property', () => {
    const result = validateWithSchema({ type: 'object', additionalProperties: false }, { extra: 1 });
    expect(result.failures).toEqual([
      {
        pointer: '/extra',
        message: 'is not allowed (must NOT have additional properties)',
        keyword: 'additionalProperties',
      },
    ]);
  });

  it('escapes property names containing "/" and "~"', () => {
    const result = validateWithSchema({ required: ['a/b~c'] }, {});
    expect(result.failures[0]?.pointer).toBe('/a~1b~0c');
  });

  it('lists the allowed values of an enum failure', () => {
    const result = validateWithSchema({ enum: ['PuBu', 'YlGnBu'] }, 'Reds');
    expect(result.failures[0]?.message).toBe('must be equal to one of the allowed values: "PuBu", "YlGnBu"');
  });

  it('prefixes every pointer with the base pointer', () => {
    const failures = toValidationFailures(
      [ajvError({ keyword: 'required', params: { missingProperty: 'size' }, instancePath: '/a' })],
      '/datasets/cat/files/0/tags',
    );
    expect(failures[0]?.pointer).toBe('/datasets/cat/files/0/tags/a/size');
  });

  it('reports identical failures once', () => {
    const error = ajvError({
      keyword: 'type',
      params: { type: 'number' },
      instancePath: '/x',
      message: 'must be number',
    });
    expect(toValidationFailures([error, { ...error }])).toHaveLength(1);
  });

  it('returns no failures when there are no errors', () => {
    expect(toValidationFailures(null)).toEqual([]);
    expect(toValidationFailures(undefined)).toEqual([]);
  });

  it('describes an error without a message by its keyword', () => {
    const failures = toValidationFailures([ajvError({ keyword: 'custom', params: {}, message: undefined })]);
    expect(failures[0]?.message).toBe('fails the "custom" keyword');
  });
});

describe('Function: joinPointer', () => {
  it.each([
    ['', ['a'], '/a'],
    ['/datasets', ['a/b'], '/datasets/a~1b'],
    ['/files', [0, 'tags'], '/files/0/tags'],
    ['/x', [], '/x'],
  ])('joins %j and %j into %j', (base, tokens, expected) => {
    expect(joinPointer(base, ...tokens)).toBe(expected);
  });

  it('escapes "~" before "/" so the result round-trips', () => {
    expect(escapePointerToken('~1')).toBe('~01');
  });
});

import { randomUUID } from 'node:crypto';

import {
  checkSchema,
  compileSchema,
  isSchemaRegistered,
  registerSchema,
  validateWithSchema,
} from '../../../../src/core/json-schema';
import { InvalidSchema } from '../../../../src/errors';

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** Runs `act`, which must throw, and returns what it threw. */
function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function uniqueId(): string {
  return `https://schemas.skein.test/${randomUUID()}.json`;
}

describe('Function: validateWithSchema', () => {
  it('accepts draft-07 tuple items when the schema declares no dialect', () => {
    const schema = { type: 'array', items: [{ type: 'number' }, { type: 'number' }], additionalItems: false };
    expect(validateWithSchema(schema, [1, 2]).valid).toBe(true);
    const result = validateWithSchema(schema, [1, 2, 3]);
    expect(result.valid).toBe(false);
    expect(result.failures).toEqual([
      { pointer: '', message: 'must NOT have more than 2 items', keyword: 'additionalItems' },
    ]);
  });

  it('validates 2020-12 prefixItems when the schema declares draft 2020-12', () => {
    const schema = { $schema: DRAFT_2020_12, type: 'array', prefixItems: [{ type: 'string' }], items: false };
    expect(validateWithSchema(schema, ['a']).valid).toBe(true);
    expect(validateWithSchema(schema, [1]).failures[0]?.pointer).toBe('/0');
    expect(validateWithSchema(schema, ['a', 'b']).valid).toBe(false);
  });

  it.each([
    ['draft-07', {}],
    ['draft 2020-12', { $schema: DRAFT_2020_12 }],
  ])('checks formats in %s schemas', (_name, dialect) => {
    const schema = {
      ...dialect,
      properties: { when: { type: 'string', format: 'date-time' }, id: { type: 'string', format: 'uuid' } },
    };
    expect(validateWithSchema(schema, { when: '2024-01-02T03:04:05Z', id: randomUUID() }).valid).toBe(true);
    const result = validateWithSchema(schema, { when: 'yesterday', id: 'not-a-uuid' });
    expect(result.failures.map((f) => [f.pointer, f.keyword])).toEqual([
      ['/when', 'format'],
      ['/id', 'format'],
    ]);
  });

  it('resolves #/$defs references and honours keywords beside $ref in draft-07', () => {
    const schema = { $defs: { name: { type: 'string' } }, properties: { a: { $ref: '#/$defs/name', minLength: 3 } } };
    expect(validateWithSchema(schema, { a: 'abc' }).valid).toBe(true);
    expect(validateWithSchema(schema, { a: 'x' }).failures[0]?.keyword).toBe('minLength');
  });

  it('ignores unknown keywords such as Octue\'s "optional"', () => {
    expect(validateWithSchema({ optional: true, type: 'object', my_custom_key: 1 }, {}).valid).toBe(true);
  });

  it('fills in defaults only when asked to', () => {
    const schema = { properties: { width: { type: 'integer', default: 600 } } };
    const plain: Record<string, unknown> = {};
    validateWithSchema(schema, plain);
    expect(plain).toEqual({});
    const defaulted: Record<string, unknown> = {};
    validateWithSchema(schema, defaulted, { useDefaults: true });
    expect(defaulted).toEqual({ width: 600 });
  });

  it("keeps every failure and Ajv's errors", () => {
    const schema = { properties: { a: { type: 'number' }, b: { minimum: 2 } }, required: ['c'] };
    const result = validateWithSchema(schema, { a: 'x', b: 1 });
    expect(result.failures.map((f) => f.pointer).sort()).toEqual(['/a', '/b', '/c']);
    expect(result.errors).toHaveLength(3);
  });
});

describe('Function: compileSchema', () => {
  it('returns the cached validator for the same schema object and options', () => {
    const schema = { type: 'string' };
    expect(compileSchema(schema)).toBe(compileSchema(schema));
    expect(compileSchema(schema, { useDefaults: true })).not.toBe(compileSchema(schema));
  });

  it('reuses a schema with an $id when the same content is compiled from another object', () => {
    const $id = uniqueId();
    const first = compileSchema({ $id, type: 'string' });
    expect(compileSchema({ $id, type: 'string' })).toBe(first);
  });

  it('replaces an earlier schema with the same $id but different content', () => {
    const $id = uniqueId();
    expect(compileSchema({ $id, type: 'string' })('a')).toBe(true);
    expect(compileSchema({ $id, type: 'number' })('a')).toBe(false);
  });

  it('compiles draft-07 schemas whose $schema uses https or omits the "#"', () => {
    const schema = { $schema: 'https://json-schema.org/draft-07/schema', type: 'string' };
    expect(compileSchema(schema)('x')).toBe(true);
  });

  it('compiles draft-06 and draft 2019-09 schemas', () => {
    expect(compileSchema({ $schema: 'http://json-schema.org/draft-06/schema#', type: 'string' })(1)).toBe(false);
    const draft2019 = { $schema: 'https://json-schema.org/draft/2019-09/schema', dependentRequired: { a: ['b'] } };
    expect(compileSchema(draft2019)({ a: 1 })).toBe(false);
  });

  it('compiles boolean schemas', () => {
    expect(compileSchema(true)(1)).toBe(true);
    expect(compileSchema(false)(1)).toBe(false);
  });

  it('throws InvalidSchema pointing into the schema when it breaks its meta-schema', () => {
    const schema = { $schema: DRAFT_2020_12, type: 'array', items: [{ type: 'number' }] };
    const error = thrownBy(() => compileSchema(schema));
    expect(error).toBeInstanceOf(InvalidSchema);
    expect((error as InvalidSchema).failures.map((f) => f.pointer)).toContain('/items');
  });

  it('throws InvalidSchema pointing at the $ref when a reference cannot be resolved', () => {
    const missing = uniqueId();
    const schema = { properties: { tags: { $ref: missing } } };
    const error = thrownBy(() => compileSchema(schema));
    expect(error).toBeInstanceOf(InvalidSchema);
    expect((error as InvalidSchema).message).toMatch(/cannot be resolved: register the referenced schema/);
    expect((error as InvalidSchema).failures).toEqual([
      {
        pointer: '/properties/tags/$ref',
        message: `cannot be resolved: register '${missing}' with registerSchema() first`,
        keyword: '$ref',
      },
    ]);
    expect((error as InvalidSchema).cause).toBeInstanceOf(Error);
  });

  it('throws InvalidSchema for an unsupported dialect', () => {
    expect(() => compileSchema({ $schema: 'http://json-schema.org/draft-04/schema#' })).toThrow(InvalidSchema);
  });
});

describe('Function: checkSchema', () => {
  it('returns no failures for a well-formed schema', () => {
    expect(checkSchema({ type: 'object', properties: { a: { type: 'string' } } })).toEqual([]);
  });

  it('returns failures with pointers into the schema', () => {
    expect(checkSchema({ properties: { a: { type: 'strnig' } } }).map((f) => f.pointer)).toContain(
      '/properties/a/type',
    );
  });

  it.each([[null], [[]], ['string'], [5]])('rejects %j, which is not a schema', (schema) => {
    expect(checkSchema(schema)).toEqual([
      { pointer: '', message: 'must be a JSON Schema (an object or a boolean)', keyword: 'type' },
    ]);
  });
});

describe('Function: registerSchema', () => {
  it('lets later schemas $ref the registered one by its $id, in its dialect', () => {
    const $id = uniqueId();
    registerSchema({ $id, $schema: DRAFT_2020_12, type: 'object', required: ['key'] });
    expect(isSchemaRegistered($id)).toBe(true);
    const validator = compileSchema({ $schema: DRAFT_2020_12, type: 'array', items: { $ref: $id } });
    expect(validator([{ key: 'a' }])).toBe(true);
    expect(validator([{}])).toBe(false);
  });

  it('makes a schema without $schema available to every dialect, including instances created earlier', () => {
    compileSchema({ $schema: DRAFT_2020_12, type: 'string' });
    const $id = uniqueId();
    registerSchema({ $id, type: 'integer' });
    expect(compileSchema({ $schema: DRAFT_2020_12, $ref: $id })(1.5)).toBe(false);
    expect(compileSchema({ $ref: $id })(2)).toBe(true);
  });

  it('accepts the same schema twice', () => {
    const schema = { $id: uniqueId(), type: 'string' };
    registerSchema(schema);
    expect(() => registerSchema({ ...schema })).not.toThrow();
  });

  it('throws InvalidSchema when a different schema is registered under the same $id', () => {
    const $id = uniqueId();
    registerSchema({ $id, type: 'string' });
    expect(() => registerSchema({ $id, type: 'number' })).toThrow(/already registered/);
  });

  it('throws InvalidSchema for a schema without an $id', () => {
    expect(() => registerSchema({ type: 'string' } as unknown as { $id: string })).toThrow(InvalidSchema);
  });

  it('throws InvalidSchema for a schema that breaks its meta-schema', () => {
    expect(() => registerSchema({ $id: uniqueId(), type: 'strnig' })).toThrow(InvalidSchema);
  });
});

describe('Function: registerSchema after compileSchema', () => {
  it('registers a schema that was already compiled by itself', () => {
    const schema = { $id: uniqueId(), $schema: DRAFT_2020_12, type: 'string' };
    compileSchema(schema);
    expect(() => registerSchema(schema)).not.toThrow();
    expect(compileSchema({ $schema: DRAFT_2020_12, $ref: schema.$id })('x')).toBe(true);
  });

  it('replaces a different schema compiled earlier under the same $id', () => {
    const $id = uniqueId();
    compileSchema({ $id, $schema: DRAFT_2020_12, type: 'string' });
    registerSchema({ $id, $schema: DRAFT_2020_12, type: 'number' });
    expect(compileSchema({ $schema: DRAFT_2020_12, $ref: $id })(1)).toBe(true);
  });
});

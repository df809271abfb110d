import { DEFAULT_SCHEMA_DIALECT, schemaDialectOf } from '../../../../src/core/json-schema';
import { InvalidSchema } from '../../../../src/errors';

describe('Function: schemaDialectOf', () => {
  it.each([
    ['http://json-schema.org/draft-07/schema#', 'draft-07'],
    ['http://json-schema.org/draft-07/schema', 'draft-07'],
    ['https://json-schema.org/draft-07/schema#', 'draft-07'],
    ['http://json-schema.org/draft-06/schema#', 'draft-07'],
    ['https://json-schema.org/draft/2019-09/schema', 'draft-2019-09'],
    ['https://json-schema.org/draft/2020-12/schema', 'draft-2020-12'],
    ['https://json-schema.org/draft/2020-12/schema#', 'draft-2020-12'],
  ])('reads %s as %s', ($schema, dialect) => {
    expect(schemaDialectOf({ $schema })).toBe(dialect);
  });

  it('uses draft-07 when the schema declares no dialect', () => {
    expect(DEFAULT_SCHEMA_DIALECT).toBe('draft-07');
    expect(schemaDialectOf({ type: 'object' })).toBe('draft-07');
    expect(schemaDialectOf(true)).toBe('draft-07');
  });

  it.each([['http://json-schema.org/draft-04/schema#'], ['https://example.com/my-meta-schema'], [42]])(
    'throws InvalidSchema for the unsupported dialect %j',
    ($schema) => {
      expect(() => schemaDialectOf({ $schema })).toThrow(InvalidSchema);
      expect(() => schemaDialectOf({ $schema })).toThrow(/Unsupported JSON Schema dialect/);
    },
  );
});

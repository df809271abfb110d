import { randomUUID } from 'node:crypto';

import {
  compileSchema,
  isSchemaRegistered,
  registerSchema,
  registerTrustedSchema,
} from '../../../../src/core/json-schema';
import { InvalidSchema } from '../../../../src/errors';

const DRAFT_2019_09 = 'https://json-schema.org/draft/2019-09/schema';
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

function uniqueId(): string {
  return `https://schemas.skein.test/trusted/${randomUUID()}.json`;
}

describe('Function: registerTrustedSchema', () => {
  it('goes into the Ajv instance of its dialect when that instance is created later', () => {
    const $id = uniqueId();
    registerTrustedSchema({ $id, $schema: DRAFT_2019_09, type: 'object', required: ['key'] });
    expect(isSchemaRegistered($id)).toBe(true);
    const validator = compileSchema({ $schema: DRAFT_2019_09, type: 'array', items: { $ref: $id } });
    expect(validator([{ key: 'a' }])).toBe(true);
    expect(validator([{}])).toBe(false);
  });

  it('goes into an Ajv instance created before it was registered', () => {
    compileSchema({ $schema: DRAFT_2020_12, type: 'string' });
    const $id = uniqueId();
    registerTrustedSchema({ $id, $schema: DRAFT_2020_12, type: 'integer' });
    expect(compileSchema({ $schema: DRAFT_2020_12, $ref: $id })(1.5)).toBe(false);
    expect(compileSchema({ $schema: DRAFT_2020_12, $ref: $id })(2)).toBe(true);
  });

  it('accepts the same schema again, trusted or not', () => {
    const schema = { $id: uniqueId(), $schema: DRAFT_2020_12, type: 'string' };
    registerTrustedSchema(schema);
    expect(() => registerTrustedSchema({ ...schema })).not.toThrow();
    expect(() => registerSchema({ ...schema })).not.toThrow();
  });

  it('throws InvalidSchema when a different schema is registered under the same $id', () => {
    const $id = uniqueId();
    registerTrustedSchema({ $id, type: 'string' });
    expect(() => registerTrustedSchema({ $id, type: 'number' })).toThrow(InvalidSchema);
    expect(() => registerSchema({ $id, type: 'number' })).toThrow(/already registered with the \$id/);
  });

  it('throws InvalidSchema for a schema without an $id', () => {
    expect(() => registerTrustedSchema({ type: 'string' } as unknown as { $id: string })).toThrow(
      /Only a schema with a string "\$id" can be registered/,
    );
  });
});

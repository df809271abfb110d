import { Twine } from '../../../../src/core/twine';
import { CredentialNotFound, InvalidValuesContents, InvalidValuesJson, TwineException } from '../../../../src/errors';
import type { SkeinValidationError } from '../../../../src/errors';
import { thrownBy } from './helpers';

const BACKEND = { name: 'GCPPubSubBackend', project_id: 'my-project' };
const withChildren = new Twine({ children: [{ key: 'gis', purpose: 'GIS', notes: 'Some notes.' }, { key: 'wind' }] });

function failuresOf(error: Error) {
  return (error as unknown as SkeinValidationError).failures;
}

describe('Class: Twine', () => {
  describe('Method: validateChildren', () => {
    const valid = [
      { key: 'gis', id: 'acme/gis:1.0.0', backend: BACKEND, extra: 'kept' },
      { key: 'wind', id: 'acme/wind:2.0.0', backend: BACKEND },
    ];

    it('accepts children whose keys match the twine, from an array or a JSON string', () => {
      expect(withChildren.validateChildren(valid)).toEqual(valid);
      expect(withChildren.validateChildren(JSON.stringify(valid))).toEqual(valid);
    });

    it('accepts no children when the twine lists none', () => {
      expect(new Twine().validateChildren([])).toEqual([]);
    });

    it.each([
      ['an empty backend', [{ key: 'gis', id: 'i', backend: {} }], ['/0/backend/name', '/0/backend/project_id']],
      ['an unknown backend', [{ key: 'gis', id: 'i', backend: { ...BACKEND, name: 'Other' } }], ['/0/backend/name']],
      ['a child without id or backend', [{ key: 'gis' }], ['/0/id', '/0/backend']],
      ['children given as an object', { gis: {} }, ['']],
    ])('throws InvalidValuesContents for %s', (_case, children, pointers) => {
      const error = thrownBy(() => withChildren.validateChildren(children));
      expect(error).toBeInstanceOf(InvalidValuesContents);
      expect(error.strand).toBe('children');
      expect(error.message).toMatch(/^The children are not valid \(Octue children 0\.2\.0 shape\)\./);
      expect(failuresOf(error).map((f) => f.pointer)).toEqual(pointers);
    });

    it('throws InvalidValuesContents naming every missing and unexpected key', () => {
      const children = [
        { key: 'gis', id: 'a', backend: BACKEND },
        { key: 'elevation', id: 'b', backend: BACKEND },
      ];
      const error = thrownBy(() => withChildren.validateChildren(children));
      expect(error).toBeInstanceOf(InvalidValuesContents);
      expect(error.message.split('\n')[0]).toBe("The children do not match the keys in the twine's children strand.");
      expect(failuresOf(error)).toEqual([
        {
          pointer: '',
          message: "has no child with the key 'wind' that the twine's children strand lists",
          keyword: 'required',
        },
        { pointer: '/1/key', message: "'elevation' is not a key in the twine's children strand", keyword: 'enum' },
      ]);
    });

    it('throws InvalidValuesContents for any child when the twine lists no children', () => {
      expect(() => new Twine().validateChildren([valid[0]])).toThrow(InvalidValuesContents);
    });

    it('throws InvalidValuesJson for broken JSON', () => {
      const error = thrownBy(() => withChildren.validateChildren('['));
      expect(error).toBeInstanceOf(InvalidValuesJson);
      expect(error.strand).toBe('children');
    });
  });

  describe('Method: validateCredentials', () => {
    const twine = new Twine({ credentials: [{ name: 'SECRET_THE_FIRST' }, { name: 'SECRET_THE_SECOND' }] });

    it('returns each credential by name from the given environment', () => {
      expect(twine.validateCredentials({ SECRET_THE_FIRST: 'a', SECRET_THE_SECOND: '', OTHER: 'x' })).toEqual({
        SECRET_THE_FIRST: 'a',
        SECRET_THE_SECOND: '',
      });
    });

    it('returns nothing when the twine lists no credentials', () => {
      expect(new Twine().validateCredentials({})).toEqual({});
    });

    it('reads process.env by default', () => {
      const name = 'SKEIN_TEST_CREDENTIAL_THAT_IS_NEVER_SET';
      const error = thrownBy(() => new Twine({ credentials: [{ name }] }).validateCredentials());
      expect(error).toBeInstanceOf(CredentialNotFound);
      expect(error.credentialName).toBe(name);
    });

    it('throws CredentialNotFound naming the missing credential', () => {
      const error = thrownBy(() => twine.validateCredentials({ SECRET_THE_FIRST: 'a' }));
      expect(error).toBeInstanceOf(CredentialNotFound);
      expect(error).toBeInstanceOf(TwineException);
      expect(error.credentialName).toBe('SECRET_THE_SECOND');
      expect(error.strand).toBe('credentials');
      expect(error.message).toMatch(/^Credential 'SECRET_THE_SECOND' is missing from the environment: set the/);
    });

    it('names every missing credential', () => {
      const error = thrownBy(() => twine.validateCredentials({}));
      expect(error.credentialName).toBe('SECRET_THE_FIRST');
      expect(error.message).toMatch(/^Credentials 'SECRET_THE_FIRST', 'SECRET_THE_SECOND' are missing/);
    });

    it("does not take a credential from the environment's prototype", () => {
      const env = Object.create({ SECRET_THE_FIRST: 'inherited', SECRET_THE_SECOND: 'inherited' }) as Record<
        string,
        string
      >;
      expect(() => twine.validateCredentials(env)).toThrow(CredentialNotFound);
    });
  });
});

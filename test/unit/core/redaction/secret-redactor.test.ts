import { pythonTypeName } from '../../../../src/core/events';
import { encodeOctueJson } from '../../../../src/core/json/octue-json';
import { MIN_SECRET_LENGTH, REDACTED, SecretRedactor, redactLogEntry } from '../../../../src/core/redaction';
import { InvalidValuesContents, SkeinError } from '../../../../src/errors';

const SECRET = 'hunter2-Sesame';

describe('Class: SecretRedactor', () => {
  describe('Method: add', () => {
    it('is empty until a secret long enough is added, ignoring shorter values and non-strings', () => {
      // Prepare
      const redactor = new SecretRedactor(['abc', '', 42, undefined]);

      // Act
      const before = redactor.empty;
      const added = redactor.add(['x'.repeat(MIN_SECRET_LENGTH), 'x'.repeat(MIN_SECRET_LENGTH)]);

      // Assess
      expect(before).toBe(true);
      expect(added).toBe(1);
      expect(redactor.empty).toBe(false);
      expect(redactor.redact('abc xxxx')).toBe(`abc ${REDACTED}`);
    });

    it('keeps earlier secrets when more are added', () => {
      const redactor = new SecretRedactor(['first-secret']);

      redactor.add(['second-secret']);

      expect(redactor.redact('first-secret second-secret')).toBe(`${REDACTED} ${REDACTED}`);
      expect(redactor.values).toEqual(['first-secret', 'second-secret']);
    });
  });

  describe('Method: redact', () => {
    it.each([
      ['the raw value', 'a"b\\c\nd', (secret: string) => `token=${secret}.`],
      ['the JSON-escaped value', 'a"b\\c\nd', (secret: string) => `config ${JSON.stringify({ key: secret })}`],
      ['the doubly JSON-escaped value', 'a"b\\c', (secret: string) => JSON.stringify(JSON.stringify({ k: secret }))],
      ['the Python-escaped value (non-ASCII as \\u)', 'clé-secrète', (secret: string) => encodeOctueJson([secret])],
      ['the URL-encoded value', 'p@ss w/rd&x', (secret: string) => `GET /?key=${encodeURIComponent(secret)} failed`],
      ['regular-expression characters', '(.*)+[x]$', (secret: string) => `value ${secret}!`],
    ])('removes %s', (_case, secret, embed) => {
      // Prepare
      const redactor = new SecretRedactor([secret]);
      const text = embed(secret);

      // Act
      const redacted = redactor.redact(text);

      // Assess
      expect(redactor.matches(text)).toBe(true);
      expect(redacted).toContain(REDACTED);
      expect(redactor.matches(redacted)).toBe(false);
    });

    it('replaces a secret containing another whole', () => {
      const redactor = new SecretRedactor(['abcd', 'abcdefgh']);

      expect(redactor.redact('xabcdefghx abcd')).toBe(`x${REDACTED}x ${REDACTED}`);
    });

    it('returns text without secrets unchanged, and everything unchanged when empty', () => {
      expect(new SecretRedactor([SECRET]).redact('nothing here')).toBe('nothing here');
      expect(new SecretRedactor().redact(`a ${SECRET}`)).toBe(`a ${SECRET}`);
      expect(new SecretRedactor().matches(SECRET)).toBe(false);
    });
  });

  describe('Method: redactValue', () => {
    it('redacts strings and numbers anywhere in arrays, objects, Sets and Maps, copying only what changes', () => {
      // Prepare
      const redactor = new SecretRedactor([SECRET, '12345678']);
      const clean = { a: [1, 'x'] };
      const value = {
        clean,
        text: `key ${SECRET}`,
        list: ['ok', SECRET],
        pin: 912345678,
        set: new Set([SECRET]),
        map: new Map([['k', `${SECRET}!`]]),
      };

      // Act
      const redacted = redactor.redactValue(value) as typeof value;

      // Assess
      expect(redacted).toEqual({
        clean,
        text: `key ${REDACTED}`,
        list: ['ok', REDACTED],
        pin: REDACTED,
        set: new Set([REDACTED]),
        map: new Map([['k', `${REDACTED}!`]]),
      });
      expect(redacted.clean).toBe(clean);
      expect(value.text).toBe(`key ${SECRET}`);
      expect(redactor.redactValue(clean)).toBe(clean);
    });

    it('keeps a __proto__ key a key', () => {
      const redactor = new SecretRedactor([SECRET]);
      const value = JSON.parse(`{"__proto__": {"polluted": "${SECRET}"}}`) as object;

      const redacted = redactor.redactValue(value) as Record<string, unknown>;

      expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(redacted, '__proto__')?.value).toEqual({ polluted: REDACTED });
    });

    it('copies an error holding a secret as the same class, with message, stack, fields and cause redacted', () => {
      // Prepare
      const redactor = new SecretRedactor([SECRET]);
      const cause = new TypeError(`inner ${SECRET}`);
      const error = new InvalidValuesContents(`outer ${SECRET}`, {
        strand: 'input_values',
        failures: [{ pointer: '/key', message: `must not be ${SECRET}`, keyword: 'not' }],
        cause,
      });

      // Act
      const redacted = redactor.redactValue(error) as InvalidValuesContents;

      // Assess
      expect(redacted).not.toBe(error);
      expect(redacted).toBeInstanceOf(InvalidValuesContents);
      expect(redacted).toBeInstanceOf(SkeinError);
      expect(pythonTypeName(redacted)).toBe(pythonTypeName(error));
      expect(redacted.message).toMatch(new RegExp(`^outer \\[REDACTED\\]\n.*must not be \\[REDACTED\\]`));
      expect(redacted.message).not.toContain(SECRET);
      expect(redacted.stack).toContain(`outer ${REDACTED}`);
      expect(redacted.stack).not.toContain(SECRET);
      expect(redacted.failures[0]?.message).toBe(`must not be ${REDACTED}`);
      expect(redacted.cause).toBeInstanceOf(TypeError);
      expect((redacted.cause as Error).message).toBe(`inner ${REDACTED}`);
      expect(error.message).toContain(`outer ${SECRET}`);
    });

    it('returns an error without secrets as it is', () => {
      const error = new Error('harmless');

      expect(new SecretRedactor([SECRET]).redactValue(error)).toBe(error);
    });

    it('survives cycles', () => {
      const value: Record<string, unknown> = { text: SECRET };
      value.self = value;

      const redacted = new SecretRedactor([SECRET]).redactValue(value) as Record<string, unknown>;

      expect(redacted.text).toBe(REDACTED);
    });
  });

  describe('Method: redactJson', () => {
    it('rewrites a document holding a secret as valid JSON in the same layout, and leaves others untouched', () => {
      // Prepare
      const redactor = new SecretRedactor(['clé-secrète']);
      const clean = encodeOctueJson({ a: ['b'] }, { indent: 2 });
      const dirty = encodeOctueJson({ a: ['clé-secrète', 'and "clé-secrète"'], n: 1 }, { indent: 2 });

      // Act
      const redacted = redactor.redactJson(dirty, { indent: 2 });

      // Assess
      expect(redactor.redactJson(clean, { indent: 2 })).toBe(clean);
      expect(redacted).toBe(encodeOctueJson({ a: [REDACTED, `and "${REDACTED}"`], n: 1 }, { indent: 2 }));
    });

    it('redacts text that is not JSON as text', () => {
      expect(new SecretRedactor([SECRET]).redactJson(`{"a": NaN, "b": "${SECRET}"}`)).toBe(
        `{"a": NaN, "b": "${REDACTED}"}`,
      );
    });
  });
});

describe('Function: redactLogEntry', () => {
  const time = new Date(0);

  it('fills in the arguments and redacts the message, the error and relayed texts', () => {
    // Prepare
    const redactor = new SecretRedactor([SECRET]);
    const error = new Error(`failed with ${SECRET}`);
    const entry = {
      name: 'app',
      level: 'error' as const,
      message: 'Using %s for %d calls',
      args: [SECRET, 3],
      time,
      error,
      excText: `Traceback: ${SECRET}`,
      stackInfo: `at ${SECRET}`,
    };

    // Act
    const redacted = redactLogEntry(entry, redactor);

    // Assess
    expect(redacted.message).toBe(`Using ${REDACTED} for 3 calls`);
    expect(redacted.args).toBeUndefined();
    expect((redacted.error as Error).message).toBe(`failed with ${REDACTED}`);
    expect(redacted.excText).toBe(`Traceback: ${REDACTED}`);
    expect(redacted.stackInfo).toBe(`at ${REDACTED}`);
    expect(entry.args).toEqual([SECRET, 3]);
  });

  it('returns an entry without secrets as it is, arguments unformatted', () => {
    const entry = { name: 'app', level: 'info' as const, message: 'Count %d', args: [3], time };

    expect(redactLogEntry(entry, new SecretRedactor([SECRET]))).toBe(entry);
  });
});

import { Twine } from '../../../../src/core/twine';
import {
  InvalidMonitorMessage,
  InvalidValues,
  InvalidValuesContents,
  InvalidValuesJson,
  StrandNotFound,
  TwineFileNotFound,
  TwineTypeException,
  UnknownStrand,
} from '../../../../src/errors';
import type { SkeinValidationError } from '../../../../src/errors';
import { fixturePath, makeTempDir, thrownBy } from './helpers';

const twine = new Twine(fixturePath('twines', 'all-strands.json'));

describe('Class: Twine', () => {
  describe('Method: validateValues', () => {
    const temp = makeTempDir();
    afterAll(() => temp.cleanUp());

    it.each([
      ['an object', { height: 4 }],
      ['a JSON string', '{"height": 4}'],
    ])('accepts valid values given as %s', (_kind, source) => {
      expect(twine.validateValues('input_values', source)).toEqual({ height: 4 });
    });

    it('reads values from a .json path', () => {
      const path = temp.write('input_values.json', '{"height": 9}');
      expect(twine.validateValues('input_values', path)).toEqual({ height: 9 });
    });

    it("fills in defaults in a copy and leaves the caller's object alone", () => {
      const given = { n_iterations: 2 };
      expect(twine.validateValues('configuration_values', given)).toEqual({ n_iterations: 2, mode: 'fast' });
      expect(given).toEqual({ n_iterations: 2 });
    });

    it('returns the same values without defaults when asked to', () => {
      const given = { n_iterations: 2 };
      expect(twine.validateValues('configuration_values', given, { useDefaults: false })).toBe(given);
    });

    it('accepts extra values the schema does not mention', () => {
      expect(twine.validateValues('input_values', { height: 2, colour: 'red' })).toEqual({ height: 2, colour: 'red' });
    });

    it('throws InvalidValuesContents naming the strand and the pointer of every failing value', () => {
      const values = { sizes: [{ width: 1 }, {}], range: [1, 'x', 3] };
      const error = thrownBy(() => twine.validateValues('input_values', values));
      expect(error).toBeInstanceOf(InvalidValuesContents);
      expect(error).toBeInstanceOf(InvalidValues);
      expect(error.strand).toBe('input_values');
      expect((error as unknown as SkeinValidationError).failures).toEqual([
        { pointer: '/height', message: "must have required property 'height'", keyword: 'required' },
        { pointer: '/sizes/1/width', message: "must have required property 'width'", keyword: 'required' },
        { pointer: '/range', message: 'must NOT have more than 2 items', keyword: 'additionalItems' },
        { pointer: '/range/1', message: 'must be number', keyword: 'type' },
      ]);
      expect(error.message).toBe(
        "The input_values do not satisfy the twine's input_values_schema.\n" +
          "  /height: must have required property 'height'\n" +
          "  /sizes/1/width: must have required property 'width'\n" +
          '  /range: must NOT have more than 2 items\n' +
          '  /range/1: must be number',
      );
      expect(error.cause).toEqual(expect.arrayContaining([expect.objectContaining({ keyword: 'required' })]));
    });

    it('throws InvalidValuesContents for values of the wrong type', () => {
      const error = thrownBy(() => twine.validateValues('configuration_values', { n_iterations: 'many' }));
      expect(error).toBeInstanceOf(InvalidValuesContents);
      expect((error as unknown as SkeinValidationError).failures[0]?.pointer).toBe('/n_iterations');
    });

    it.each([['{"height": '], ['not json'], ['']])('throws InvalidValuesJson for the broken JSON string %j', (text) => {
      const error = thrownBy(() => twine.validateValues('input_values', text));
      expect(error).toBeInstanceOf(InvalidValuesJson);
      expect(error.strand).toBe('input_values');
      expect(error.message).toMatch(/^The JSON string given for the input_values is not valid JSON: /);
    });

    it('throws InvalidValuesJson when no values are given', () => {
      expect(() => twine.validateValues('input_values', undefined)).toThrow(
        'Cannot load the input_values: no data source was given.',
      );
    });

    it('throws TwineFileNotFound with the path and strand when a values file does not exist', () => {
      const path = `${temp.path}/nope.json`;
      const error = thrownBy(() => twine.validateValues('output_values', path));
      expect(error).toBeInstanceOf(TwineFileNotFound);
      expect(error.path).toBe(path);
      expect(error.strand).toBe('output_values');
    });

    it('throws StrandNotFound when the twine has no schema for the values', () => {
      const error = thrownBy(() => new Twine({}).validateValues('input_values', {}));
      expect(error).toBeInstanceOf(StrandNotFound);
      expect(error.message).toBe('Cannot validate the input_values: the twine has no input_values_schema strand.');
    });

    it('throws UnknownStrand for a kind that is not a values strand', () => {
      expect(() => twine.validateValues('input_manifest' as never, {})).toThrow(UnknownStrand);
    });

    it('throws TwineTypeException when values that need defaults are not JSON data', () => {
      const error = thrownBy(() => twine.validateValues('configuration_values', { callback: () => 1 }));
      expect(error).toBeInstanceOf(TwineTypeException);
      expect(error.strand).toBe('configuration_values');
    });
  });

  describe('Method: validateMonitorMessage', () => {
    it('accepts a message that satisfies the monitor_message_schema', () => {
      expect(twine.validateMonitorMessage({ status: 'ok', progress: 0.5 })).toEqual({ status: 'ok', progress: 0.5 });
    });

    it('takes a string message as the value itself, not as JSON', () => {
      const error = thrownBy(() => twine.validateMonitorMessage('{"status": "ok"}'));
      expect(error).toBeInstanceOf(InvalidMonitorMessage);
      expect((error as unknown as SkeinValidationError).failures).toEqual([
        { pointer: '', message: 'must be object', keyword: 'type' },
      ]);
    });

    it('throws InvalidMonitorMessage with every failing pointer', () => {
      const error = thrownBy(() => twine.validateMonitorMessage({ progress: 2 }));
      expect(error).toBeInstanceOf(InvalidMonitorMessage);
      expect(error.strand).toBe('monitor_message');
      expect((error as unknown as SkeinValidationError).failures.map((f) => f.pointer)).toEqual([
        '/status',
        '/progress',
      ]);
      expect(error.message).toMatch(/^The monitor message does not satisfy the twine's monitor_message_schema\./);
    });

    it('throws StrandNotFound when the twine has no monitor_message_schema', () => {
      expect(() => new Twine().validateMonitorMessage({})).toThrow(StrandNotFound);
    });

    it('throws InvalidMonitorMessage from validate() too', () => {
      expect(() => twine.validate({ monitorMessage: [] })).toThrow(InvalidMonitorMessage);
    });
  });
});

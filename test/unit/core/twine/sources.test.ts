import { loadJsonSource, parseJsonText, readJsonFile } from '../../../../src/core/twine';
import { InvalidManifestJson, InvalidTwineJson, InvalidValuesJson, TwineFileNotFound } from '../../../../src/errors';
import { makeTempDir, thrownBy } from './helpers';

describe('Function: loadJsonSource', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanUp());

  it.each([[{ a: 1 }], [[1, 2]], [5], [true]])('returns the value %j as it is', (value) => {
    expect(loadJsonSource(value, 'input_values')).toBe(value);
  });

  it('parses a string that does not end in .json as JSON', () => {
    expect(loadJsonSource('"just a string"', 'output_values')).toBe('just a string');
  });

  it('reads a string that ends in .json as a file path', () => {
    expect(loadJsonSource(temp.write('values.json', '[1, 2]'), 'output_values')).toEqual([1, 2]);
  });

  it.each([
    ['twine', InvalidTwineJson],
    ['input_values', InvalidValuesJson],
    ['children', InvalidValuesJson],
    ['input_manifest', InvalidManifestJson],
  ] as const)('throws the JSON error class for %s when no source is given', (kind, errorClass) => {
    expect(() => loadJsonSource(undefined, kind)).toThrow(errorClass);
    expect(() => loadJsonSource(null, kind)).toThrow(`Cannot load the ${kind}: no data source was given.`);
  });
});

describe('Function: parseJsonText', () => {
  it('adds the line and column of the failure', () => {
    const error = thrownBy(() => parseJsonText('{\n  "a": 1,\n}', 'input_values'));
    expect(error).toBeInstanceOf(InvalidValuesJson);
    expect(error.message).toMatch(/at position 12 \(line 3, column 1\)\.$/);
  });

  it('names the origin of the text', () => {
    expect(() => parseJsonText('{', 'twine', "file 'x'")).toThrow(
      /^The file 'x' given for the twine is not valid JSON/,
    );
  });
});

describe('Function: readJsonFile', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanUp());

  it('reads a file whatever its name', () => {
    expect(readJsonFile(temp.write('values.txt', '{"a": 1}'), 'input_values')).toEqual({ a: 1 });
  });

  it('throws TwineFileNotFound with the path and strand when the file is missing', () => {
    const path = `${temp.path}/missing/values.json`;
    const error = thrownBy(() => readJsonFile(path, 'input_values'));
    expect(error).toBeInstanceOf(TwineFileNotFound);
    expect(error).toMatchObject({ path, strand: 'input_values' });
    expect(error.cause).toMatchObject({ code: 'ENOENT' });
  });

  it('throws the JSON error of the strand when the file is not JSON', () => {
    expect(() => readJsonFile(temp.write('bad.json', 'nope'), 'output_manifest')).toThrow(InvalidManifestJson);
  });
});

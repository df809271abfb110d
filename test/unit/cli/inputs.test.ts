import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InvalidArgumentError } from 'commander';

import {
  parseJsonObjectArgument,
  parsePortArgument,
  parseSecondsArgument,
  readStrandOption,
} from '../../../src/cli/inputs';
import { InvalidManifestJson, InvalidValuesJson, TwineFileNotFound } from '../../../src/errors';

describe('Module: cli/inputs', () => {
  describe('Function: readStrandOption', () => {
    const temp = mkdtempSync(join(tmpdir(), 'skein-cli-inputs-'));
    afterAll(() => rmSync(temp, { recursive: true, force: true }));

    it('reads JSON text, a .json file, or nothing', () => {
      const file = join(temp, 'values.json');
      writeFileSync(file, '{"n": 2}');
      expect(readStrandOption('{"n": 1}', 'input_values')).toEqual({ n: 1 });
      expect(readStrandOption(file, 'input_values')).toEqual({ n: 2 });
      expect(readStrandOption(undefined, 'input_values')).toBeUndefined();
    });

    it.each([
      ['values that are not JSON', '{"n": ', 'input_values', InvalidValuesJson],
      ['a manifest that is not JSON', '{', 'input_manifest', InvalidManifestJson],
      ['a .json file that does not exist', 'no-such-file.json', 'input_values', TwineFileNotFound],
    ] as const)('throws for %s', (_case, source, strand, errorClass) => {
      expect(() => readStrandOption(source, strand)).toThrow(errorClass);
    });
  });

  describe('Function: parseJsonObjectArgument', () => {
    it('parses a JSON object', () => {
      expect(parseJsonObjectArgument('{"a": 1}')).toEqual({ a: 1 });
    });

    it.each([['{"a": '], ['[1]'], ['null'], ['"text"']])('throws InvalidArgumentError for %s', (text) => {
      expect(() => parseJsonObjectArgument(text)).toThrow(InvalidArgumentError);
    });
  });

  describe('Function: parseSecondsArgument', () => {
    it.each([
      ['1', 1],
      ['0.5', 0.5],
    ])('parses %s', (text, seconds) => {
      expect(parseSecondsArgument(text)).toBe(seconds);
    });

    it.each([[''], ['0'], ['-1'], ['soon'], ['Infinity']])('throws InvalidArgumentError for %j', (text) => {
      expect(() => parseSecondsArgument(text)).toThrow(
        new InvalidArgumentError('Give a positive number of seconds, e.g. 60.'),
      );
    });
  });

  describe('Function: parsePortArgument', () => {
    it.each([
      ['0', 0],
      ['8085', 8085],
      ['65535', 65535],
    ])('parses %s', (text, port) => {
      expect(parsePortArgument(text)).toBe(port);
    });

    it.each([['65536'], ['-1'], ['80.5'], ['eighty'], ['']])('throws InvalidArgumentError for %j', (text) => {
      expect(() => parsePortArgument(text)).toThrow(InvalidArgumentError);
    });
  });
});

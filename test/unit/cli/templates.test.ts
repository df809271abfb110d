import { load } from 'js-yaml';

import { functionName, serviceTemplates } from '../../../src/cli/init/templates';
import { parseOctueYaml } from '../../../src/core/config';
import { Twine } from '../../../src/core/twine';

const IDENTITY = { namespace: 'acme', name: 'number-stats', revisionTag: '1.2.0', skeinVersion: '0.3.1' };

describe('Module: cli/init/templates', () => {
  describe('Function: functionName', () => {
    it.each([
      ['stats', 'stats'],
      ['number-stats', 'numberStats'],
      ['a-2-b', 'a2B'],
    ])('turns %s into %s', (name, expected) => {
      expect(functionName(name)).toBe(expected);
    });
  });

  describe('Function: serviceTemplates', () => {
    const files = serviceTemplates(IDENTITY);

    it('depends on this version of Skein and runs the tests with node', () => {
      const manifest = JSON.parse(files['package.json'] as string) as {
        name: string;
        version: string;
        scripts: Record<string, string>;
        dependencies: Record<string, string>;
      };
      expect(manifest).toMatchObject({ name: 'number-stats', version: '1.2.0', dependencies: { skein: '^0.3.1' } });
      expect(manifest.scripts.test).toBe('node --test test/');
      expect(manifest.scripts.start).toBe('skein start --revision-tag 1.2.0');
    });

    it('writes an octue.yaml and a twine that Skein accepts', () => {
      const { entry, notices } = parseOctueYaml(files['octue.yaml'] as string);
      expect(entry).toEqual({
        namespace: 'acme',
        name: 'number-stats',
        app_source_path: 'app',
        twine_path: 'twine.json',
      });
      expect(notices).toEqual([]);
      const twine = new Twine(files['twine.json']);
      expect(
        twine.validate({ inputValues: JSON.parse(files['input-values.json'] as string) as unknown }),
      ).toBeDefined();
    });

    it('names the function after the service in the entry point and the serverless.yml fragment', () => {
      expect(files['functions/index.js']).toMatch(/^exports\.numberStats = functionHandlers\(/m);
      expect(files['functions/index.js']).toMatch(/revisionTag: '1\.2\.0'/);
      expect(load(files['serverless.yml'] as string)).toEqual({
        functions: {
          numberStats: {
            handler: 'numberStats',
            sruid: 'acme/number-stats:1.2.0',
            twine: 'twine.json',
            description: 'acme/number-stats (made with skein init)',
            memorySize: 512,
            timeout: 540,
          },
        },
      });
    });
  });
});

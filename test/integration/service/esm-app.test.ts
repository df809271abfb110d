// Loads an app.mjs through the built package (dist/, rebuilt by global setup) in a separate Node process, because
// jest's module system cannot import ES modules.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const ESM_APP = join(ROOT, 'test', 'fixtures', 'apps', 'esm-app');

describe('Function: loadApp (built package)', () => {
  it('runs an app directory whose module is app.mjs', () => {
    const script = `
      const { Runner } = require(${JSON.stringify(join(ROOT, 'dist', 'src', 'service'))});
      new Runner({ app: ${JSON.stringify(ESM_APP)}, twine: { input_values_schema: {}, output_values_schema: {} } })
        .run({ inputValues: { n: 3 } })
        .then((analysis) => process.stdout.write(JSON.stringify(analysis.outputValues)));
    `;

    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });

    expect(JSON.parse(output)).toEqual({ loadedAs: 'esm', n: 3 });
  });
});

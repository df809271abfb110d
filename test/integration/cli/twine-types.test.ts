// `skein twine types`: the generated types compile, and type-check an app against the twine (the real binary; the
// compiler checks its output against the built package's declarations in dist/).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import ts from 'typescript';

import { MANIFEST_SCHEMA_ID } from '../../../src/core/twine';
import { ROOT, skein } from './helpers';

const CHILD_SERVICES_PARENT = 'test/fixtures/octue/twines/template-child-services__parent_service.json';

/** Type-checks files with the types module mapped to the built package, as an app depending on `skein` would. */
function typeCheck(files: Record<string, string>, directory: string): string[] {
  const names = Object.entries(files).map(([name, text]) => {
    const path = join(directory, name);
    writeFileSync(path, text);
    return path;
  });
  const program = ts.createProgram(names, {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
    skipLibCheck: true,
    baseUrl: directory,
    paths: { skein: [join(ROOT, 'dist/src/index.d.ts')] },
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('Command: skein twine types', () => {
  const temp = mkdtempSync(join(tmpdir(), 'skein-cli-types-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('writes types that type-check an app using the twine, and reject a wrongly typed one', async () => {
    const output = join(temp, 'twine-types.ts');
    const run = await skein(['twine', 'types', 'examples/twine.json', '-o', output]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^wrote 9 types to .*twine-types\.ts: TwineStrandTypes, ConfigurationValues, InputValues/,
    );
    const types = readFileSync(output, 'utf8');
    expect(types).toMatch(/^export type InputManifestDatasetKey = 'measurements' \| 'calibration';$/m);

    const good = [
      "import type { TypedAnalysis, InputManifestMeasurementsFileTags } from './twine-types.js';",
      'export function run(analysis: TypedAnalysis): void {',
      '  const statistics: string[] = analysis.inputValues.statistics;',
      '  const rows: number | undefined = analysis.inputValues.min_rows;',
      '  const tags: InputManifestMeasurementsFileTags = { sensor: "t1", units: "C" };',
      '  analysis.outputValues = { rows: rows ?? statistics.length + tags.sensor.length, statistics: {} };',
      '}',
    ].join('\n');
    expect(typeCheck({ 'twine-types.ts': types, 'good-app.ts': good }, temp)).toEqual([]);

    const bad = [
      "import type { TypedAnalysis } from './twine-types.js';",
      'export function run(analysis: TypedAnalysis): void {',
      '  const window: number = analysis.inputValues.time_window;',
      '  analysis.outputValues = { rows: "many", statistics: {} };',
      '}',
    ].join('\n');
    const errors = typeCheck({ 'twine-types.ts': types, 'bad-app.ts': bad }, temp);
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toMatch(/is not assignable to type 'number'/);
  });

  it('types the children and leaves out strands the twine does not have', async () => {
    const run = await skein(['twine', 'types', CHILD_SERVICES_PARENT]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^export type ChildKey = 'wind_speed' \| 'elevation';$/m);
    expect(run.stdout).toMatch(/^ {2}readonly children: Readonly<Record<ChildKey, ChildLike>>;$/m);
    expect(run.stdout).not.toMatch(/ConfigurationValues/);
    const app = [
      "import type { TypedAnalysis } from './parent-types.js';",
      'export async function run(analysis: TypedAnalysis): Promise<void> {',
      '  await analysis.children.elevation.ask({ inputValues: analysis.inputValues.locations ?? [] });',
      '}',
    ].join('\n');
    expect(typeCheck({ 'parent-types.ts': run.stdout, 'parent-app.ts': app }, temp)).toEqual([]);
  });

  it('types local references, references to other documents as unknown, and optional strands as possibly undefined', async () => {
    const twine = join(temp, 'references-twine.json');
    writeFileSync(
      twine,
      JSON.stringify({
        configuration_values_schema: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          optional: true,
          type: 'object',
          properties: { point: { $ref: '#/$defs/point' }, manifest: { $ref: MANIFEST_SCHEMA_ID } },
          required: ['point'],
          $defs: { point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
        },
      }),
    );
    const run = await skein(['twine', 'types', twine]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^export interface ConfigurationValues \{\n {2}point: Point;\n/m);
    expect(run.stdout).toMatch(/^export interface Point \{\n {2}x: number;/m);
    expect(run.stdout).toMatch(/^ {2}manifest\?: unknown;$/m);
    expect(run.stdout).toMatch(/Defined by the schema at https:\/\/jsonschema\.registry\.octue\.com\/octue\/manifest/);
    expect(run.stdout).toMatch(/^ {2}readonly configurationValues: ConfigurationValues \| undefined;$/m);
    expect(run.stdout).not.toMatch(/optional/);
  });

  it('quotes dataset keys and lists credential names; TypedAnalysis is Analysis for a twine without strands', async () => {
    const twine = join(temp, 'names-twine.json');
    writeFileSync(
      twine,
      JSON.stringify({ input_manifest: { datasets: { "o'clock": {} } }, credentials: [{ name: 'API_KEY' }] }),
    );
    const named = await skein(['twine', 'types', twine]);
    expect(named.stdout).toMatch(/^export type InputManifestDatasetKey = 'o\\'clock';$/m);
    expect(named.stdout).toMatch(/^export type CredentialName = 'API_KEY';$/m);
    expect(named.stdout).toMatch(/^ {2}readonly credentials: Readonly<Record<CredentialName, string>>;$/m);
    const empty = join(temp, 'empty-twine.json');
    writeFileSync(empty, '{}');
    const plain = await skein(['twine', 'types', empty]);
    expect(plain.stdout).toMatch(/^export type TypedAnalysis = Analysis;$/m);
  });

  it('prints the type names and declarations with --json', async () => {
    const run = await skein(['twine', 'types', CHILD_SERVICES_PARENT, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { types: string[]; declarations: string };
    expect(report.types).toEqual(['TwineStrandTypes', 'InputValues', 'OutputValues', 'ChildKey', 'TypedAnalysis']);
    expect(report.declarations).toMatch(/^export interface InputValues \{$/m);
  });

  it('imports Analysis from the module given with --sdk-module', async () => {
    const run = await skein(['twine', 'types', CHILD_SERVICES_PARENT, '--sdk-module', '@acme/skein']);
    expect(run.stdout).toMatch(/^import type \{ Analysis, ChildLike \} from '@acme\/skein';$/m);
  });

  it('exits 1 with one line naming the problem when the twine is invalid', async () => {
    const twine = join(temp, 'invalid-twine.json');
    writeFileSync(twine, JSON.stringify({ input_value_schema: {} }));
    const run = await skein(['twine', 'types', twine]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^skein: error: InvalidTwineContents: The twine does not satisfy the twine meta-schema\.\n {2}\/input_value_schema: /,
    );
  });

  it('exits 1 when the output file cannot be written', async () => {
    const blocker = join(temp, 'a-file');
    writeFileSync(blocker, '');
    const run = await skein(['twine', 'types', 'examples/twine.json', '-o', join(blocker, 'types.ts')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^skein: error: StorageRequestFailed: Cannot write '.*types\.ts' \([A-Z]+\): choose a /);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 when the twine file does not exist', async () => {
    const run = await skein(['twine', 'types', 'examples/no-such-twine.json']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: "skein: error: TwineFileNotFound: The twine file 'examples/no-such-twine.json' does not exist.\n",
    });
  });
});

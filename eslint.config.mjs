// Lint rules that keep the layers honest: errors ← core ← cloud ← service ← federation/streaming/hub ← cli/functions.
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

// The service-level extensions (the Hub replays events through the runtime's event handler): each builds on the
// runtime through its ports, never through src/cloud's adapters; nothing below them imports them.
const extensions = ['./src/federation', './src/streaming', './src/hub'];

const layerZones = [
  // errors depends on nothing else in the project.
  {
    target: './src/errors',
    from: [
      './src/core',
      './src/cloud',
      './src/service',
      './src/cli',
      './src/emulators',
      './src/functions',
      './src/deploy',
      ...extensions,
    ],
  },
  // core is pure: no adapters, runtime or entry points.
  {
    target: './src/core',
    from: [
      './src/cloud',
      './src/service',
      './src/cli',
      './src/emulators',
      './src/functions',
      './src/deploy',
      ...extensions,
    ],
  },
  { target: './src/cloud', from: ['./src/service', './src/cli', './src/functions', './src/deploy', ...extensions] },
  // The runtime knows extensions only through its own ports (EventRoute, AnalysisExtension, StreamService).
  { target: './src/service', from: ['./src/cli', './src/functions', './src/deploy', ...extensions] },
  // Federation, streaming and the Hub see ports only, never a concrete adapter.
  ...extensions.map((target) => ({
    target,
    from: ['./src/cloud', './src/cli', './src/functions', './src/deploy', './src/emulators'],
  })),
  { target: './src/emulators', from: ['./src/service', './src/cli', './src/functions', './src/deploy', ...extensions] },
  // functions/ adapters (functions-framework handlers) and the deploy plugin sit beside the CLI, above the runtime.
  { target: './src/functions', from: ['./src/cli', './src/deploy'] },
  { target: './src/deploy', from: ['./src/cli', './src/functions'] },
];

const exportNamesExplicitly = { selector: 'ExportAllDeclaration', message: 'Export names explicitly.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.serverless/**', 'bench/.data/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      // Dependencies are not parsed for import-x's checks: PGlite's minified bundle overflows the parser's stack.
      'import-x/ignore': ['node_modules'],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-default-export': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'no-restricted-syntax': ['error', exportNamesExplicitly],
    },
  },
  {
    // The message path runs per event: V8 (Node 20) writes the properties that follow a leading spread (`{...a, b}`)
    // on a slow path, about a microsecond each on these machines (question attributes took 50 µs to make).
    files: [
      'src/core/events/**/*.ts',
      'src/core/ports/**/*.ts',
      'src/cloud/pubsub/**/*.ts',
      'src/cloud/memory/handler-invocation.ts',
      'src/functions/deliver.ts',
      'src/service/child/**/*.ts',
      'src/service/event-handler/**/*.ts',
      'src/service/{service,responder,question,serve,children,logging}.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        exportNamesExplicitly,
        {
          selector: 'ObjectExpression > SpreadElement:first-child ~ Property',
          message: 'Properties after a leading spread are slow in V8 on this path: use Object.assign({}, a, {…}).',
        },
      ],
    },
  },
  {
    // Only the cloud adapters talk to Google's clients.
    files: ['src/**/*.ts'],
    ignores: ['src/cloud/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@google-cloud/*'], message: 'Only src/cloud/ may import @google-cloud/*.' }] },
      ],
    },
  },
  {
    // Library code never touches the process: only the CLI and functions/ read argv/env, print or exit.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'Only entry points exit.' },
        { object: 'process', property: 'argv', message: 'Only entry points read argv.' },
      ],
    },
  },
  {
    // Jest loads global setup/teardown through their default export.
    files: ['test/setup/global-*.ts'],
    rules: { 'import-x/no-default-export': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

import { join } from 'node:path';

import { AppNotFound, InvalidApp } from '../../../src/errors';
import { Analysis, isReturnedOutputs, loadApp } from '../../../src/service';
import type { AppSource } from '../../../src/service';
import { GreetingApp, squareApp } from '../../fixtures/apps/examples';

const APPS = join(__dirname, '..', '..', 'fixtures', 'apps');

async function runWith(source: AppSource, inputValues: unknown = { n: 3, name: 'Ada' }): Promise<unknown> {
  const analysis = new Analysis({ twine: {}, inputValues });
  const returned = await (await loadApp(source))(analysis);
  return returned === undefined ? analysis.outputValues : returned;
}

describe('Function: loadApp', () => {
  it.each<[string, AppSource, unknown]>([
    ['a function', squareApp, { square: 9 }],
    ['a class with run()', GreetingApp, { greeting: 'Hello, Ada!' }],
    ['a module object with run', { run: squareApp }, { square: 9 }],
    ['a module object with a class App', { App: GreetingApp }, { greeting: 'Hello, Ada!' }],
    ['a module object with a default class', { default: GreetingApp }, { greeting: 'Hello, Ada!' }],
    ['an app directory whose app.js exports run', join(APPS, 'function-app'), { width: 3 }],
    ['an app directory whose app.js exports a class App', join(APPS, 'class-app'), 'App as a class works!'],
    [
      'an app directory whose app.js has a default export returning outputs',
      join(APPS, 'default-app'),
      { outputValues: { doubled: 6 } },
    ],
    [
      'an app directory holding only app.ts (with a TypeScript loader)',
      join(APPS, 'typescript-app'),
      { language: 'typescript' },
    ],
  ])('runs %s', async (_case, source, expected) => {
    expect(await runWith(source)).toEqual(expected);
  });

  it('prefers a class App over a run function, as Octue does', async () => {
    const source = { App: GreetingApp, run: squareApp };

    expect(await runWith(source)).toEqual({ greeting: 'Hello, Ada!' });
  });

  it.each([
    ['a directory without an app module', join(APPS, 'empty-app'), "No module named 'app'"],
    ['a directory that does not exist', join(APPS, 'no-such-app'), 'does not exist'],
  ])('throws AppNotFound (sent as ModuleNotFoundError) for %s', async (_case, source, message) => {
    const error = await loadApp(source).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AppNotFound);
    expect((error as Error).message).toContain(message);
    expect((error as AppNotFound).appSource).toBe(source);
    expect((AppNotFound as unknown as { wireName: string }).wireName).toBe('ModuleNotFoundError');
  });

  it.each<[string, AppSource]>([
    ['a module exporting nothing runnable', join(APPS, 'invalid-app')],
    ['an empty module object', {}],
    ['a module object whose run is not a function', { run: 'not a function' } as unknown as AppSource],
  ])('throws InvalidApp for %s', async (_case, source) => {
    await expect(loadApp(source)).rejects.toThrow(InvalidApp);
  });
});

describe('Function: isReturnedOutputs', () => {
  it.each([
    [{ outputValues: 1 }, true],
    [{ outputManifest: null }, true],
    [{ outputValues: 1, outputManifest: undefined }, true],
    [{ outputValues: 1, other: 2 }, false],
    [{}, false],
    [[1], false],
    ['text', false],
    [undefined, false],
  ])('says %j is an outputs object: %s', (value, expected) => {
    expect(isReturnedOutputs(value)).toBe(expected);
  });
});

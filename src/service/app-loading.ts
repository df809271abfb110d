import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { AppNotFound, InvalidApp } from '../errors';
import type { Analysis } from './analysis';

/** An app as a function of the analysis; it may be async and may return the outputs. */
export type AppFunction = (analysis: Analysis) => unknown;

/** An app as a class: constructed with the analysis, then `run()` (Octue's `App(analysis).run()`). */
export type AppClass = new (analysis: Analysis) => { run(): unknown };

/** A loaded app module: a class `App`, a function `run`, or a default export of either. */
export interface AppModule {
  readonly App?: AppClass;
  readonly run?: AppFunction;
  readonly default?: AppFunction | AppClass | AppModule;
}

/**
 * What a Runner runs: a function, a class with `run()`, a module object, or (as Octue's `app_source_path`) the path
 * of a directory whose app module (`app.js`, `app.cjs`, `app.mjs`, or `app.ts` where a TypeScript loader is active)
 * exports `App`, `run` or a default.
 */
export type AppSource = AppFunction | AppClass | AppModule | string;

/** An app ready to run: call it with the analysis; it resolves with whatever the app returned. */
export type RunnableApp = (analysis: Analysis) => Promise<unknown>;

/** The app module names looked for in an app directory, in order. */
export const APP_MODULE_NAMES = ['app.js', 'app.cjs', 'app.mjs', 'app.ts'] as const;

function isClass(value: unknown): value is AppClass {
  if (typeof value !== 'function') return false;
  if (/^class[\s{]/.test(Function.prototype.toString.call(value))) return true;
  const prototype = (value as { prototype?: { run?: unknown } }).prototype;
  return typeof prototype?.run === 'function';
}

function describe(source: AppSource): string {
  return typeof source === 'string' ? `'${source}'` : typeof source === 'function' ? `'${source.name}'` : 'module';
}

function fromValue(value: unknown, source: string, depth = 0): RunnableApp | undefined {
  if (isClass(value)) return async (analysis) => new value(analysis).run();
  if (typeof value === 'function') return async (analysis) => (value as AppFunction)(analysis);
  if (typeof value !== 'object' || value === null || depth > 1) return undefined;
  // Octue's order: a class named App, then a function named run; Skein then tries the default export.
  const module = value as AppModule;
  if (isClass(module.App)) return fromValue(module.App, source, depth + 1);
  if (typeof module.run === 'function') return fromValue(module.run, source, depth + 1);
  if (module.default !== undefined) return fromValue(module.default, source, depth + 1);
  return undefined;
}

async function importModule(path: string): Promise<unknown> {
  if (path.endsWith('.mjs')) {
    return import(pathToFileURL(path).href);
  }
  // CommonJS output (and jest/ts-node for `.ts`) load apps with require, which keeps `__dirname` and the cache.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as unknown;
}

/**
 * Finds the app module in an app directory.
 * @param directory - The directory.
 * @returns The module's absolute path.
 * @throws AppNotFound when the directory does not exist or holds no app module.
 */
export function findAppModule(directory: string): string {
  const absolute = resolve(directory);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw new AppNotFound(`The app directory '${absolute}' does not exist; check app_source_path in octue.yaml.`, {
      appSource: absolute,
    });
  }
  const found = APP_MODULE_NAMES.map((name) => join(absolute, name)).find((path) => existsSync(path));
  if (found === undefined) {
    throw new AppNotFound(
      `No module named 'app' in '${absolute}': add ${APP_MODULE_NAMES.join(', ')} (a built app.ts is app.js).`,
      { appSource: absolute },
    );
  }
  return found;
}

/**
 * Turns an app source into a runnable app, importing an app directory's module.
 * @param source - See {@link AppSource}.
 * @returns The runnable app.
 * @throws AppNotFound when an app directory has no app module; InvalidApp when the source exports nothing runnable.
 *   Errors thrown while the module itself loads (syntax errors, failing imports) pass through unchanged.
 */
export async function loadApp(source: AppSource): Promise<RunnableApp> {
  let value: unknown = source;
  let where = describe(source);
  if (typeof source === 'string') {
    const modulePath = findAppModule(source);
    value = await importModule(modulePath);
    where = `'${modulePath}'`;
  }
  const app = fromValue(value, where);
  if (app === undefined) {
    throw new InvalidApp(
      `The app ${where} cannot be run: export a class App (with a run() method), a function run(analysis), or ` +
        'a default export of either.',
      { appSource: where },
    );
  }
  return app;
}

/** The outputs an app may return instead of setting them on the analysis. */
export interface ReturnedOutputs {
  readonly outputValues?: unknown;
  readonly outputManifest?: unknown;
}

/**
 * Whether an app's return value is an outputs object (`{outputValues?, outputManifest?}` and nothing else).
 * @param value - What the app returned.
 * @returns `true` for an outputs object.
 */
export function isReturnedOutputs(value: unknown): value is ReturnedOutputs {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key === 'outputValues' || key === 'outputManifest');
}

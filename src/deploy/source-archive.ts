import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, sep } from 'node:path';

import JSZip from 'jszip';

import { DeploySourceError } from '../errors';
import { deployPackageJson } from './deploy-package-json';
import type { SourceArchiveInfo } from './plan-types';

/** The module Cloud Run functions loads (the deployed package.json's `main`): the compiled `functions/index.ts`. */
export const DEPLOY_MAIN = 'dist/functions/index.js';

// Build by-products the function never loads at run time.
const EXCLUDED_SUFFIXES = ['.map', '.d.ts', '.tsbuildinfo'];
// A fixed timestamp for every entry, so the same files always give the same zip (and the same sha256).
const ENTRY_DATE = new Date(Date.UTC(2000, 0, 1));

/** Inputs to {@link buildSourceArchive}. */
export interface BuildSourceArchiveParams {
  /** The service directory (where serverless.yml and package.json are). */
  readonly serviceDir: string;
  /** Files and directories to include, relative to `serviceDir`. */
  readonly include: readonly string[];
  /** Twines (relative paths) that must be in the zip and be valid JSON. */
  readonly twines?: readonly string[];
  /** Where to write the zip. */
  readonly outputPath: string;
}

/**
 * Builds the source zip Cloud Build turns into the functions: the compiled code and twines, plus a package.json made
 * for the deployment (production dependencies only, `main` = {@link DEPLOY_MAIN}, no scripts), from which Cloud Build
 * runs `npm install`. That keeps the zip to the project's own files (kilobytes) instead of shipping node_modules
 * (tens of megabytes), and keeps the project's `prepare`/`build` scripts (which need the dev toolchain) out of Cloud
 * Build. The zip is deterministic: same files, same bytes.
 *
 * @param params - The service directory, what to include, the twines to check and where to write.
 * Entries of `include` that do not exist are skipped and reported in `missing` (not every project has every default
 * directory); what the functions cannot run without (the compiled `functions/index.js` and the twines) is checked.
 *
 * @returns Facts about the zip (for the plan), its bytes and the include entries that were missing.
 * @throws DeploySourceError when package.json, the build output or a twine is missing or invalid, or an include entry
 * points outside the service directory.
 */
export async function buildSourceArchive(
  params: BuildSourceArchiveParams,
): Promise<{ info: SourceArchiveInfo; archive: Buffer; missing: string[] }> {
  const packageJsonPath = join(params.serviceDir, 'package.json');
  const packageJson = deployPackageJson(await readJsonFile(packageJsonPath, 'package.json'), DEPLOY_MAIN);
  const files = new Set<string>();
  const missing: string[] = [];
  for (const entry of params.include) {
    if (!(await collect(params.serviceDir, entry, files))) missing.push(entry);
  }
  files.delete('package.json');
  if (!files.has(DEPLOY_MAIN)) {
    throw new DeploySourceError(
      join(params.serviceDir, DEPLOY_MAIN),
      `${DEPLOY_MAIN} is not in the source zip: run \`npm run build\` first (and keep dist/functions in ` +
        'custom.skein.source).',
    );
  }
  for (const twine of params.twines ?? []) await checkTwine(params.serviceDir, twine, files);
  const sorted = [...files].sort();
  const zip = new JSZip();
  const options = { date: ENTRY_DATE, unixPermissions: 0o644, createFolders: false } as const;
  zip.file('package.json', `${JSON.stringify(packageJson, null, 2)}\n`, options);
  for (const file of sorted) zip.file(file, await readFile(join(params.serviceDir, ...file.split('/'))), options);
  const archive = await zip.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
    platform: 'UNIX',
  });
  await mkdir(dirname(params.outputPath), { recursive: true });
  await writeFile(params.outputPath, archive);
  return {
    archive,
    missing,
    info: {
      archive: basename(params.outputPath),
      sizeBytes: archive.length,
      sha256: createHash('sha256').update(archive).digest('hex'),
      files: ['package.json', ...sorted].sort(),
    },
  };
}

async function collect(serviceDir: string, entry: string, files: Set<string>): Promise<boolean> {
  const normalized = posix.normalize(entry.split(sep).join('/')).replace(/\/+$/, '');
  if (normalized.startsWith('..') || posix.isAbsolute(normalized)) {
    throw new DeploySourceError(entry, `custom.skein.source entry '${entry}' must be inside the service directory.`);
  }
  const path = join(serviceDir, normalized);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return false;
  if (info.isFile()) {
    if (!isExcluded(normalized)) files.add(normalized);
    return true;
  }
  for (const child of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (!child.isFile() && !child.isSymbolicLink()) continue;
    const full = join(child.parentPath, child.name);
    const rel = relative(serviceDir, full).split(sep).join('/');
    if (isExcluded(rel) || rel.split('/').includes('node_modules')) continue;
    if (child.isSymbolicLink() && !(await stat(full).catch(() => undefined))?.isFile()) continue;
    files.add(rel);
  }
  return true;
}

function isExcluded(path: string): boolean {
  return EXCLUDED_SUFFIXES.some((suffix) => path.endsWith(suffix));
}

async function checkTwine(serviceDir: string, twine: string, files: ReadonlySet<string>): Promise<void> {
  const normalized = posix.normalize(twine.split(sep).join('/'));
  const path = join(serviceDir, normalized);
  await readJsonFile(path, `the twine ${twine}`);
  if (!files.has(normalized)) {
    throw new DeploySourceError(
      path,
      `The twine ${twine} is not in the source zip: add it (or its directory) to custom.skein.source.`,
    );
  }
}

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DeploySourceError(path, `Cannot read ${what} at ${path}: ${(error as Error).message}.`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DeploySourceError(path, `${what} at ${path} is not valid JSON: ${(error as Error).message}.`, {
      cause: error,
    });
  }
}

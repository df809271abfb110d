import { DeploySourceError } from '../errors';
import { isRawObject } from './values';

/** Fields copied from the project's package.json as they are. */
const COPIED_FIELDS = ['name', 'version', 'description', 'license', 'type', 'engines', 'dependencies'] as const;

/**
 * The package.json that goes into the source zip: the project's identity and production dependencies, `main` pointing
 * at the compiled functions, and nothing else. Scripts are left out on purpose: Cloud Build runs `npm install` (and
 * with it `prepare`) on the zip, and the project's `prepare` compiles TypeScript, which needs dev dependencies and
 * sources the zip does not carry. Dev dependencies and the lock file are left out too (the lock file describes the
 * dev dependencies as well, so `npm ci` would refuse a package.json without them).
 *
 * @param project - The project's parsed package.json.
 * @param main - The deployed entry module, e.g. `dist/functions/index.js`.
 * @returns The package.json to deploy.
 * @throws DeploySourceError when the project's package.json is not an object or has no dependencies.
 */
export function deployPackageJson(project: unknown, main: string): Record<string, unknown> {
  if (!isRawObject(project)) {
    throw new DeploySourceError('package.json', 'package.json must contain a JSON object.');
  }
  if (!isRawObject(project.dependencies) || project.dependencies['@google-cloud/functions-framework'] === undefined) {
    throw new DeploySourceError(
      'package.json',
      'package.json must list @google-cloud/functions-framework in "dependencies": Cloud Run functions serve the ' +
        'deployed code with it.',
    );
  }
  const result: Record<string, unknown> = { private: true };
  for (const field of COPIED_FIELDS) {
    if (project[field] !== undefined) result[field] = project[field];
  }
  result.main = main;
  return result;
}

import { InvalidDeployProject, InvalidDeployRegion, InvalidDeploySetting } from '../errors';

/**
 * Google Cloud's naming rules for the things a deployment names, checked before any request so that mistakes fail with
 * a message naming the setting rather than as an `INVALID_ARGUMENT` halfway through a deploy (or, worse, a request to
 * `projects/undefined`).
 */

// Project ids: 6–30 characters, lowercase letters, digits and hyphens, starting with a letter and not ending with a
// hyphen; legacy domain-scoped projects carry a `domain:` prefix.
const PROJECT_ID_PATTERN = /^(?:[a-z][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
// Regions: a lowercase area, one or more lowercase parts, and a number, e.g. `europe-west1`, `us-central1`,
// `northamerica-northeast2`.
const REGION_PATTERN = /^[a-z]+(?:-[a-z]+)+[0-9]+$/;
// Cloud Functions ids: lowercase letters, digits and hyphens, starting with a letter, at most 63 characters.
const FUNCTION_ID_PATTERN = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Bucket names (without dots, which need domain verification): 3–63 lowercase letters, digits, hyphens and
// underscores, starting and ending with a letter or digit.
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;
// Google service accounts: user-managed (`…@<project>.iam.gserviceaccount.com`) and Google's defaults
// (`…@developer.gserviceaccount.com`, `…@appspot.gserviceaccount.com`).
const SERVICE_ACCOUNT_PATTERN = /^[a-z0-9][a-z0-9._-]*@[a-z0-9][a-z0-9.-]*\.gserviceaccount\.com$/;
// Node.js runtimes that Cloud Run functions still runs: nodejs20 was decommissioned on 2026-10-30.
const RUNTIME_PATTERN = /^nodejs(\d+)$/;
const OLDEST_SUPPORTED_NODE = 22;

/** Values that only ever appear when a variable went unresolved somewhere upstream. */
const UNRESOLVED_MARKERS = new Set(['undefined', 'null', 'none', 'nan']);

/**
 * Checks the Google Cloud project.
 * @param value - The project id, or `undefined` when none was given.
 * @returns The project id.
 * @throws InvalidDeployProject when it is missing, looks like an unresolved variable, or is not a project id.
 */
export function checkProject(value: string | undefined): string {
  if (value === undefined) {
    throw new InvalidDeployProject(
      'provider.project',
      value,
      'No Google Cloud project is set: pass --project <project-id>, set GOOGLE_CLOUD_PROJECT, or set provider.project ' +
        'in serverless.yml.',
    );
  }
  if (UNRESOLVED_MARKERS.has(value.toLowerCase()) || !PROJECT_ID_PATTERN.test(value)) {
    throw new InvalidDeployProject(
      'provider.project',
      value,
      `'${value}' is not a Google Cloud project id: project ids are 6-30 lowercase letters, digits and hyphens, ` +
        'start with a letter and do not end with a hyphen (use the project id, not its name or number).',
    );
  }
  return value;
}

/**
 * Checks the region.
 * @param value - The region, or `undefined` when none was given.
 * @returns The region.
 * @throws InvalidDeployRegion when it is missing or not shaped like a region (`europe-west1`, not a zone or `EU`).
 */
export function checkRegion(value: string | undefined): string {
  if (value === undefined) {
    throw new InvalidDeployRegion(
      'provider.region',
      value,
      'No region is set: pass --region <region> (e.g. europe-west1), set GOOGLE_CLOUD_REGION, or set provider.region ' +
        'in serverless.yml.',
    );
  }
  if (UNRESOLVED_MARKERS.has(value.toLowerCase()) || !REGION_PATTERN.test(value)) {
    throw new InvalidDeployRegion(
      'provider.region',
      value,
      `'${value}' is not a Google Cloud region: use a region name such as europe-west1 or us-central1 (lowercase, ` +
        'no zone suffix such as -b, no multi-region such as EU).',
    );
  }
  return value;
}

/**
 * Checks the runtime.
 * @param value - e.g. `nodejs22`.
 * @returns The runtime.
 * @throws InvalidDeploySetting for anything but a Node.js runtime that Cloud Run functions still supports.
 */
export function checkRuntime(value: string): string {
  const major = RUNTIME_PATTERN.exec(value)?.[1];
  if (major === undefined || Number(major) < OLDEST_SUPPORTED_NODE) {
    throw new InvalidDeploySetting(
      'provider.runtime',
      value,
      `'${value}' is not a runtime Skein can deploy: use nodejs${OLDEST_SUPPORTED_NODE} or later ` +
        '(nodejs20 was decommissioned on 2026-10-30).',
    );
  }
  return value;
}

/**
 * Checks a Cloud Functions id.
 * @param value - The id.
 * @param setting - Where it came from, for the error.
 * @returns The id.
 * @throws InvalidDeploySetting when it breaks the naming rule.
 */
export function checkFunctionId(value: string, setting: string): string {
  if (!FUNCTION_ID_PATTERN.test(value)) {
    throw new InvalidDeploySetting(
      setting,
      value,
      `'${value}' is not a valid Cloud Functions name: use at most 63 lowercase letters, digits and hyphens, starting ` +
        `with a letter (shorten the service name or set ${setting}).`,
    );
  }
  return value;
}

/**
 * Checks a bucket name.
 * @param value - The name.
 * @param setting - Where it came from, for the error.
 * @returns The name.
 * @throws InvalidDeploySetting when it breaks the naming rule.
 */
export function checkBucketName(value: string, setting: string): string {
  if (!BUCKET_PATTERN.test(value) || value.startsWith('goog')) {
    throw new InvalidDeploySetting(
      setting,
      value,
      `'${value}' is not a usable bucket name: use 3-63 lowercase letters, digits, hyphens and underscores, starting ` +
        `and ending with a letter or digit and not starting with 'goog' (set ${setting} to choose another).`,
    );
  }
  return value;
}

/**
 * Checks a service account email.
 * @param value - The email.
 * @param setting - Where it came from, for the error.
 * @returns The email.
 * @throws InvalidDeploySetting when it is not a Google service account.
 */
export function checkServiceAccount(value: string, setting: string): string {
  if (!SERVICE_ACCOUNT_PATTERN.test(value)) {
    throw new InvalidDeploySetting(
      setting,
      value,
      `'${value}' is not a Google service account email (…@<project>.iam.gserviceaccount.com).`,
    );
  }
  return value;
}

/**
 * Turns a name into lowercase kebab case: `skein-dev-csvStats` → `skein-dev-csv-stats`.
 * @param name - Any name.
 * @returns The kebab-case form.
 */
export function toKebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/**
 * Turns a value into a label value: lowercase letters, digits, `_` and `-`, at most 63 characters.
 * @param value - Any text.
 * @returns The label value.
 */
export function toLabelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 63);
}

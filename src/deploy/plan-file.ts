import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DeploySourceError } from '../errors';
import { formatPlanSummary } from './plan-summary';
import { PLAN_FORMAT } from './plan-types';
import type { DeployPlan } from './plan-types';
import { isRawObject } from './values';

/** The plan's file name in the package directory (`.serverless/` by default). */
export const PLAN_FILE = 'skein-deploy-plan.json';
/** The human summary's file name, beside the plan. */
export const PLAN_SUMMARY_FILE = 'skein-deploy-plan.txt';

/**
 * Writes the plan as JSON and as a readable summary.
 * @param directory - The package directory.
 * @param plan - The plan.
 * @returns The two files' paths.
 */
export async function writePlanFiles(directory: string, plan: DeployPlan): Promise<{ plan: string; summary: string }> {
  await mkdir(directory, { recursive: true });
  const paths = { plan: join(directory, PLAN_FILE), summary: join(directory, PLAN_SUMMARY_FILE) };
  await writeFile(paths.plan, `${JSON.stringify(plan, null, 2)}\n`);
  await writeFile(paths.summary, formatPlanSummary(plan));
  return paths;
}

/**
 * Reads a plan written by {@link writePlanFiles} and the source zip it names, checking the zip is the one planned.
 * @param directory - The package directory.
 * @returns The plan and the zip's bytes.
 * @throws DeploySourceError when the plan is missing, unreadable or of another format, or the zip is missing or
 * differs from the one the plan was made for.
 */
export async function readPackagedPlan(directory: string): Promise<{ plan: DeployPlan; archive: Buffer }> {
  const path = join(directory, PLAN_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DeploySourceError(path, `Cannot read the deployment plan ${path}: run serverless package first.`, {
      cause: error,
    });
  }
  if (
    !isRawObject(parsed) ||
    parsed.format !== PLAN_FORMAT ||
    !Array.isArray(parsed.deploy) ||
    !isRawObject(parsed.source)
  ) {
    throw new DeploySourceError(
      path,
      `${path} is not a ${PLAN_FORMAT} plan: package again with this version of Skein.`,
    );
  }
  const plan = parsed as unknown as DeployPlan;
  const archivePath = join(directory, plan.source.archive);
  let archive: Buffer;
  try {
    archive = await readFile(archivePath);
  } catch (error) {
    throw new DeploySourceError(archivePath, `Cannot read the source zip ${archivePath}: package again.`, {
      cause: error,
    });
  }
  if (createHash('sha256').update(archive).digest('hex') !== plan.source.sha256) {
    throw new DeploySourceError(archivePath, `${archivePath} is not the zip the plan was made for: package again.`);
  }
  return { plan, archive };
}

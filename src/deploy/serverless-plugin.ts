import { join } from 'node:path';

import { InvalidDeployProject, InvalidDeployRegion, SkeinError } from '../errors';
import { executeSteps } from './execute';
import type { StepResult } from './execute';
import { createGoogleDeployTarget } from './google-target';
import { describeDeployment, formatDeploymentInfo } from './info';
import { buildDeployPlan, buildRemoveSteps, plannedResources } from './plan';
import { readPackagedPlan, writePlanFiles } from './plan-file';
import type { DeployTarget } from './ports';
import { readDeploySettings } from './read-settings';
import { PROVIDER_NAME, PROVIDER_SCHEMA } from './serverless-schema';
import type { ServerlessInstance, ServerlessOptions, ServerlessPluginUtils } from './serverless-types';
import type { DeploySettings } from './settings';
import { buildSourceArchive } from './source-archive';

/** Environment variable pointing the Cloud Functions client at another endpoint (a local double in tests). */
export const FUNCTIONS_ENDPOINT_ENV = 'SKEIN_FUNCTIONS_API_ENDPOINT';

/** How the plugin reaches Google Cloud; tests pass their own. */
export type DeployTargetFactory = (projectId: string) => DeployTarget;

const PROJECT_OPTION = { usage: 'Google Cloud project id (overrides provider.project)', type: 'string' } as const;

/**
 * The Skein plugin for Serverless Framework v3: registers the `google` provider and implements `package`, `deploy`,
 * `remove` and `info` on the Cloud Functions v2 (Cloud Run functions) API, Pub/Sub and Cloud Storage through Google's
 * official clients. `package` works offline: it writes the source zip, the deployment plan (every request deploy
 * would make, as JSON) and a readable summary into the package directory (`.serverless/`). `deploy` executes the
 * packaged plan; `remove` deletes what deploy created; `info` shows what is deployed.
 *
 * Load it from serverless.yml with `plugins: [./dist/src/deploy/plugin.js]`.
 */
export class SkeinServerlessPlugin {
  /** The provider name Serverless matches against `provider.name`. */
  static getProviderName(): string {
    return PROVIDER_NAME;
  }

  /** Makes Serverless load this plugin only for `provider.name: google`. */
  readonly provider = this;
  /** The options the plugin adds to Serverless's commands. */
  readonly commands = {
    package: { options: { project: PROJECT_OPTION } },
    deploy: { options: { project: PROJECT_OPTION } },
    remove: { options: { project: PROJECT_OPTION } },
    info: { options: { project: PROJECT_OPTION } },
  };
  /** Lifecycle hooks. */
  readonly hooks: Record<string, () => Promise<void>>;
  private readonly log: ServerlessPluginUtils['log'];
  private readonly writeText: ServerlessPluginUtils['writeText'];
  private readonly createTarget: DeployTargetFactory;

  /**
   * @param serverless - The Serverless instance.
   * @param options - Command-line options.
   * @param utils - Serverless's writers for plugins.
   * @param createTarget - How to reach Google Cloud (default: the real clients; the Cloud Functions endpoint can be
   * redirected with `SKEIN_FUNCTIONS_API_ENDPOINT`).
   */
  constructor(
    private readonly serverless: ServerlessInstance,
    private readonly options: ServerlessOptions = {},
    utils?: ServerlessPluginUtils,
    createTarget?: DeployTargetFactory,
  ) {
    this.log = utils?.log ?? (() => undefined);
    this.writeText = utils?.writeText ?? (() => undefined);
    this.createTarget = createTarget ?? defaultTargetFactory(process.env[FUNCTIONS_ENDPOINT_ENV]);
    serverless.setProvider(PROVIDER_NAME, this);
    serverless.configSchemaHandler.defineProvider(PROVIDER_NAME, PROVIDER_SCHEMA);
    this.hooks = {
      // Before Serverless's own packaging, which then finds `package.artifact` set and skips zipping the whole service.
      'before:package:createDeploymentArtifacts': () => this.guard(() => this.package()),
      'deploy:deploy': () => this.guard(() => this.deploy()),
      'remove:remove': () => this.guard(() => this.remove()),
      'info:info': () => this.guard(() => this.info()),
    };
  }

  /** Builds the source zip and writes the plan and its summary. */
  private async package(): Promise<void> {
    const settings = this.settings();
    const directory = this.packageDirectory();
    const outputPath = join(directory, `${settings.service}.zip`);
    const { info, missing } = await buildSourceArchive({
      serviceDir: this.serverless.serviceDir,
      include: settings.sourceInclude,
      twines: settings.functions.flatMap((fn) => (fn.twine === undefined ? [] : [fn.twine])),
      outputPath,
    });
    if (missing.length > 0) this.log(`Skipped source entries that do not exist: ${missing.join(', ')}`);
    this.serverless.service.package.artifact = outputPath;
    const plan = buildDeployPlan(settings, info);
    const paths = await writePlanFiles(directory, plan);
    const requests = plan.deploy.reduce((n, step) => n + step.requests.length, 0);
    this.log(`Packaged ${info.files.length} files (${info.sizeBytes} bytes) into ${outputPath}`);
    this.log(
      `Deployment plan: ${paths.plan} (${plan.deploy.length} steps, ${requests} requests); summary: ${paths.summary}`,
    );
  }

  /** Executes the packaged plan's deploy steps. */
  private async deploy(): Promise<void> {
    const { plan, archive } = await readPackagedPlan(this.packageDirectory());
    this.checkPlanMatchesOptions(plan.project, plan.region);
    this.log(`Deploying ${plan.service} (stage ${plan.stage}) to ${plan.project}/${plan.region}`);
    const results = await this.withTarget(plan.project, (target) =>
      executeSteps(plan.deploy, target, { archive, onStep: (r) => this.logStep(r) }),
    );
    this.writeText(
      results.filter((r) => r.action === 'upsert-function').map((r) => `${r.resource}: ${r.detail ?? ''}`),
    );
  }

  /** Deletes what deploy created. */
  private async remove(): Promise<void> {
    const settings = this.settings();
    this.log(`Removing ${settings.service} (stage ${settings.stage}) from ${settings.project}/${settings.region}`);
    await this.withTarget(settings.project, (target) =>
      executeSteps(buildRemoveSteps(settings), target, { onStep: (r) => this.logStep(r) }),
    );
  }

  /** Shows what is deployed. */
  private async info(): Promise<void> {
    const settings = this.settings();
    const info = await this.withTarget(settings.project, (target) =>
      describeDeployment(plannedResources(settings), target),
    );
    this.writeText(formatDeploymentInfo(info));
  }

  private settings(): DeploySettings {
    const { service } = this.serverless;
    return readDeploySettings({
      service: service.service,
      provider: service.provider,
      functions: service.functions,
      ...(service.custom === undefined ? {} : { custom: service.custom }),
      options: {
        ...(typeof this.options.project === 'string' ? { project: this.options.project } : {}),
        ...(typeof this.options.region === 'string' ? { region: this.options.region } : {}),
        ...(typeof this.options.stage === 'string' ? { stage: this.options.stage } : {}),
      },
    });
  }

  private packageDirectory(): string {
    const fromOption = typeof this.options.package === 'string' ? this.options.package : undefined;
    return fromOption ?? this.serverless.service.package.path ?? join(this.serverless.serviceDir, '.serverless');
  }

  // `deploy --package <dir>` deploys a plan made earlier; refuse one made for another project or region than asked.
  private checkPlanMatchesOptions(project: string, region: string): void {
    if (typeof this.options.project === 'string' && this.options.project !== project) {
      throw new InvalidDeployProject(
        '--project',
        this.options.project,
        `The package was planned for project ${project}, not ${this.options.project}: package again.`,
      );
    }
    if (typeof this.options.region === 'string' && this.options.region !== region) {
      throw new InvalidDeployRegion(
        '--region',
        this.options.region,
        `The package was planned for region ${region}, not ${this.options.region}: package again.`,
      );
    }
  }

  private async withTarget<T>(project: string, use: (target: DeployTarget) => Promise<T>): Promise<T> {
    const target = this.createTarget(project);
    try {
      return await use(target);
    } finally {
      await target.close();
    }
  }

  private logStep(result: StepResult): void {
    this.log(
      `${result.id}. ${result.action} ${result.resource}: ${result.outcome}${result.detail ? ` (${result.detail})` : ''}`,
    );
  }

  // Skein's errors become Serverless user errors: printed as one clear message instead of a stack trace.
  private async guard(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof SkeinError)) throw error;
      const code = `SKEIN_${error.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
      const wrapped = new this.serverless.classes.Error(`${error.name}: ${error.message}`, code);
      throw Object.assign(wrapped, { cause: error });
    }
  }
}

function defaultTargetFactory(functionsApiEndpoint: string | undefined): DeployTargetFactory {
  return (projectId) =>
    createGoogleDeployTarget({
      projectId,
      ...(functionsApiEndpoint === undefined || functionsApiEndpoint === '' ? {} : { functionsApiEndpoint }),
    });
}

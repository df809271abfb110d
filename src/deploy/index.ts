/**
 * One-command deployment of Skein services to Cloud Run functions (Cloud Functions v2) with Serverless Framework 3:
 * the plugin (`plugin.ts`, loaded from serverless.yml), and the pieces it is made of for use in code and tests.
 */
export { SkeinServerlessPlugin, FUNCTIONS_ENDPOINT_ENV } from './serverless-plugin';
export type { DeployTargetFactory } from './serverless-plugin';
export { readDeploySettings, DEFAULT_RUNTIME, DEFAULT_STAGE, DEFAULT_SOURCE_INCLUDE } from './read-settings';
export type { BucketSettings, DeployConfigInput, DeploySettings, FunctionSettings } from './settings';
export { buildDeployPlan, buildRemoveSteps, plannedResources } from './plan';
export type { PlannedResources } from './plan';
export { PLAN_FORMAT } from './plan-types';
export type {
  DeleteStep,
  DeployPlan,
  EnsureBucketStep,
  EnsureTopicStep,
  PlannedRequest,
  PlannedService,
  PlanStep,
  SourceArchiveInfo,
  UploadSourceStep,
  UpsertFunctionStep,
  UpsertSubscriptionStep,
} from './plan-types';
export { formatPlanSummary } from './plan-summary';
export { PLAN_FILE, PLAN_SUMMARY_FILE, readPackagedPlan, writePlanFiles } from './plan-file';
export { buildSourceArchive, DEPLOY_MAIN } from './source-archive';
export type { BuildSourceArchiveParams } from './source-archive';
export { executeSteps } from './execute';
export type { ExecuteOptions, StepOutcome, StepResult } from './execute';
export { describeDeployment, formatDeploymentInfo } from './info';
export type { DeploymentInfo } from './info';
export { createGoogleDeployTarget } from './google-target';
export type { GoogleDeployTargetOptions } from './google-target';
export { InMemoryDeployTarget } from './ports';
export type {
  BucketAdmin,
  DeployedFunction,
  DeployedSubscription,
  DeployTarget,
  FunctionsApi,
  FunctionSpec,
  PubSubAdmin,
  PushSubscriptionSpec,
  RecordedDeployCall,
} from './ports';

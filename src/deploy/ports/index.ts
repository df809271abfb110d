export type { BucketAdmin, DeployTarget, FunctionsApi, PubSubAdmin } from './deploy-target';
export type {
  DeployedFunction,
  DeployedSubscription,
  FunctionBuildSpec,
  FunctionServiceSpec,
  FunctionSpec,
  PushAuthentication,
  PushSubscriptionSpec,
  StorageSource,
  UploadTarget,
} from './types';
export { InMemoryDeployTarget } from './in-memory';
export type { RecordedDeployCall } from './in-memory';

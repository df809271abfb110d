export { GoogleFunctionsApi } from './functions-api';
export type { FunctionInfo, FunctionUploadTarget, GoogleFunctionsApiOptions } from './functions-api';
export { GooglePubSubAdmin } from './pubsub-admin';
export { SUBSCRIPTION_UPDATE_MASK } from './subscription-mask';
export type { GooglePubSubAdminOptions, PushSubscriptionRequest, SubscriptionInfo } from './pubsub-admin';
export { GoogleBucketAdmin } from './bucket-admin';
export type { GoogleBucketAdminOptions } from './bucket-admin';
export { putSourceArchive } from './source-upload';
export { errorReason, errorStatus, isNotFound, requestFailed } from './request-errors';

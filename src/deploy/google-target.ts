import { GoogleBucketAdmin, GoogleFunctionsApi, GooglePubSubAdmin } from '../cloud/deploy';
import type { DeployTarget } from './ports';

/** How to reach Google Cloud (every field optional: production uses the default endpoints and ADC). */
export interface GoogleDeployTargetOptions {
  /** The project. */
  readonly projectId: string;
  /** Cloud Functions API endpoint: a host, or a URL such as `http://127.0.0.1:8123` for a local double. */
  readonly functionsApiEndpoint?: string;
  /** Cloud Storage API endpoint, e.g. a GCS-compatible server's URL. */
  readonly storageApiEndpoint?: string;
  /** Service-account credentials for the Cloud Functions client (otherwise Application Default Credentials). */
  readonly credentials?: { readonly client_email: string; readonly private_key: string };
}

/**
 * The deployment ports on Google Cloud: Cloud Functions v2 over REST, Pub/Sub (or its emulator when
 * `PUBSUB_EMULATOR_HOST` is set) and Cloud Storage. This is where the adapters meet the port types, so the compiler
 * checks that the shapes the adapters declare match the port.
 * @param options - Project, endpoints and credentials.
 * @returns The target; close it when done.
 */
export function createGoogleDeployTarget(options: GoogleDeployTargetOptions): DeployTarget {
  const functions = new GoogleFunctionsApi({
    projectId: options.projectId,
    ...(options.functionsApiEndpoint === undefined ? {} : { apiEndpoint: options.functionsApiEndpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  const pubsub = new GooglePubSubAdmin({ projectId: options.projectId });
  const buckets = new GoogleBucketAdmin({
    projectId: options.projectId,
    ...(options.storageApiEndpoint === undefined ? {} : { apiEndpoint: options.storageApiEndpoint }),
  });
  return {
    functions,
    pubsub,
    buckets,
    async close() {
      await Promise.allSettled([functions.close(), pubsub.close(), buckets.close()]);
    },
  };
}

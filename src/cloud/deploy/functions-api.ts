import { v2 } from '@google-cloud/functions';
import type { protos } from '@google-cloud/functions';

import { InvalidInputException } from '../../errors';
import { isNotFound, requestFailed } from './request-errors';
import { putSourceArchive } from './source-upload';

type FunctionResource = protos.google.cloud.functions.v2.IFunction;

/** Where a generated upload URL puts the source (the shape of the deploy port's `UploadTarget`). */
export interface FunctionUploadTarget {
  readonly uploadUrl: string;
  readonly storageSource: { readonly bucket: string; readonly object: string; readonly generation?: string };
}

/** What is read back about a function (the shape of the deploy port's `DeployedFunction`). */
export interface FunctionInfo {
  readonly name: string;
  readonly state: string;
  readonly environment: string;
  readonly uri: string | undefined;
  readonly serviceAccountEmail: string | undefined;
  readonly updateTime: string | undefined;
}

/** Options for {@link GoogleFunctionsApi}. */
export interface GoogleFunctionsApiOptions {
  /** A ready client; the options below are then ignored. */
  readonly client?: v2.FunctionServiceClient;
  /**
   * The API endpoint: a host (`cloudfunctions.googleapis.com`, the default) or a URL such as `http://127.0.0.1:8123`
   * for a local double (scheme and port are taken from it).
   */
  readonly apiEndpoint?: string;
  /** Service-account credentials (otherwise Application Default Credentials). */
  readonly credentials?: { readonly client_email: string; readonly private_key: string };
  /** The project, for the client's own needs (requests carry full resource names). */
  readonly projectId?: string;
}

/**
 * The Cloud Functions v2 (Cloud Run functions) API through `@google-cloud/functions`' `FunctionServiceClient` on its
 * REST transport (`fallback: true`): the same transport in production and against a local HTTP double, and no gRPC
 * channel to keep open for a handful of requests. Long-running operations are awaited; every client error becomes a
 * `DeployRequestFailed` with the original as `cause`, and "not found" becomes `undefined` / `false`.
 */
export class GoogleFunctionsApi {
  private readonly client: v2.FunctionServiceClient;

  /**
   * @param options - A client, or the endpoint and credentials to build one with.
   * @throws InvalidInputException when `apiEndpoint` is neither a host nor an http(s) URL.
   */
  constructor(options: GoogleFunctionsApiOptions = {}) {
    this.client =
      options.client ??
      new v2.FunctionServiceClient({
        fallback: true,
        // Node's own fetch for the REST requests and token exchanges. Left alone, gaxios 7 loads the ESM-only
        // node-fetch with a dynamic import, which some hosts (jest's CommonJS sandbox among them) cannot do.
        clientOptions: { transporterOptions: { fetchImplementation: fetch } },
        ...endpointOptions(options.apiEndpoint),
        ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
        ...(options.projectId === undefined ? {} : { projectId: options.projectId }),
      });
  }

  /** `GetFunction`; `undefined` when the function does not exist. */
  async getFunction(name: string): Promise<FunctionInfo | undefined> {
    try {
      const [fn] = await this.client.getFunction({ name });
      return toInfo(fn);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw requestFailed('cloudfunctions', 'GetFunction', name, error);
    }
  }

  /** `GenerateUploadUrl`. */
  async generateUploadUrl(parent: string): Promise<FunctionUploadTarget> {
    try {
      const [response] = await this.client.generateUploadUrl({ parent });
      const source = response.storageSource;
      if (!response.uploadUrl || !source?.bucket || !source.object) {
        throw new Error('the response has no upload URL or storage source');
      }
      return {
        uploadUrl: response.uploadUrl,
        storageSource: {
          bucket: source.bucket,
          object: source.object,
          ...(source.generation ? { generation: String(source.generation) } : {}),
        },
      };
    } catch (error) {
      throw requestFailed('cloudfunctions', 'GenerateUploadUrl', parent, error);
    }
  }

  /** PUTs the source zip to the signed URL. */
  async uploadSource(uploadUrl: string, archive: Buffer): Promise<void> {
    await putSourceArchive(uploadUrl, archive);
  }

  /** `CreateFunction`, awaiting the operation. */
  async createFunction(parent: string, functionId: string, spec: FunctionResource): Promise<FunctionInfo> {
    const resource = `${parent}/functions/${functionId}`;
    try {
      const [operation] = await this.client.createFunction({ parent, functionId, function: spec });
      const [fn] = await operation.promise();
      return toInfo(fn);
    } catch (error) {
      throw requestFailed('cloudfunctions', 'CreateFunction', resource, error);
    }
  }

  /** `UpdateFunction` with an update mask, awaiting the operation. */
  async updateFunction(spec: FunctionResource, updateMask: readonly string[]): Promise<FunctionInfo> {
    const resource = spec.name ?? '(unnamed function)';
    try {
      const [operation] = await this.client.updateFunction({ function: spec, updateMask: { paths: [...updateMask] } });
      const [fn] = await operation.promise();
      return toInfo(fn);
    } catch (error) {
      throw requestFailed('cloudfunctions', 'UpdateFunction', resource, error);
    }
  }

  /** `DeleteFunction`, awaiting the operation; `false` when the function did not exist. */
  async deleteFunction(name: string): Promise<boolean> {
    try {
      const [operation] = await this.client.deleteFunction({ name });
      await operation.promise();
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw requestFailed('cloudfunctions', 'DeleteFunction', name, error);
    }
  }

  /** Closes the client. */
  async close(): Promise<void> {
    await this.client.close();
  }
}

function endpointOptions(apiEndpoint: string | undefined): Record<string, unknown> {
  if (apiEndpoint === undefined) return {};
  if (!apiEndpoint.includes('://')) return { apiEndpoint };
  let url: URL;
  try {
    url = new URL(apiEndpoint);
  } catch (error) {
    throw new InvalidInputException(`'${apiEndpoint}' is not a valid Cloud Functions API endpoint URL.`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputException(`The Cloud Functions API endpoint '${apiEndpoint}' must be an http or https URL.`);
  }
  const protocol = url.protocol.slice(0, -1);
  const port = url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port);
  return { apiEndpoint: url.hostname, port, protocol };
}

function toInfo(fn: FunctionResource | undefined): FunctionInfo {
  return {
    name: fn?.name ?? '',
    state: enumName(fn?.state, v2Enums.state),
    environment: enumName(fn?.environment, v2Enums.environment),
    uri: fn?.serviceConfig?.uri || fn?.url || undefined,
    serviceAccountEmail: fn?.serviceConfig?.serviceAccountEmail || undefined,
    updateTime: timestampText(fn?.updateTime),
  };
}

// The REST transport asks for numeric enums; these turn them back into names for messages and checks.
const v2Enums = {
  state: ['STATE_UNSPECIFIED', 'ACTIVE', 'FAILED', 'DEPLOYING', 'DELETING', 'UNKNOWN'],
  environment: ['ENVIRONMENT_UNSPECIFIED', 'GEN_1', 'GEN_2'],
} as const;

function enumName(value: unknown, names: readonly string[]): string {
  if (typeof value === 'number') return names[value] ?? String(value);
  return typeof value === 'string' ? value : (names[0] ?? '');
}

function timestampText(value: protos.google.protobuf.ITimestamp | null | undefined): string | undefined {
  if (!value?.seconds) return undefined;
  return new Date(Number(value.seconds) * 1000).toISOString();
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SkeinError } from '../../errors';
import { DirectoryBackend } from './directory-backend';
import { MemoryBackend } from './memory-backend';
import { ObjectService } from './object-service';
import { handleRequest } from './router';
import type { SigningKeys } from './signed-url';
import { SignedUrlVerifier } from './signed-url';
import type { StorageBackend } from './types';
import { UploadSessions } from './upload-sessions';

/** The GCS-compatible server could not start (bad option, port in use, unreadable data folder). */
export class GcsServerStartFailed extends SkeinError {}

/** Options for {@link startGcsServer}. */
export interface GcsServerOptions {
  /** Port to listen on; 0 or omitted picks a free one. */
  readonly port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  readonly host?: string;
  /** Keep data in this folder (created if missing; survives restarts). Without it, data lives in memory. */
  readonly directory?: string;
  /** A backend to use instead of the memory or directory one. */
  readonly backend?: StorageBackend;
  /**
   * Public key(s) that signed URLs must verify against: one PEM/key object (public, or private to derive it) for any
   * signer, or a map from service-account email to key. Without it, signed-URL requests are served WITHOUT checking
   * their signature or expiry.
   */
  readonly signingKey?: SigningKeys;
  /** Project id reported in bucket resources; default `demo-skein`. */
  readonly projectId?: string;
  /** The clock in ms (default `Date.now`); inject one to test signed-URL expiry without waiting. */
  readonly now?: () => number;
  /** How long a resumable upload session lives, in ms (default 7 days, as in GCS). */
  readonly resumableSessionTtlMs?: number;
}

/** A running server. */
export interface RunningGcsServer {
  /** `http://host:port`: use as the client's `apiEndpoint` or as `STORAGE_EMULATOR_HOST`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** `memory`, `directory`, or the custom backend's kind. */
  readonly backendKind: string;
  /** Stops listening, closes open connections and discards unfinished uploads. */
  stop(): Promise<void>;
}

/**
 * Starts Skein's GCS JSON-API-compatible server (node:http only) that the official `@google-cloud/storage` client
 * works against: buckets, media/multipart/resumable (multi-chunk) uploads, listing with prefixes and paging,
 * metadata, patches, deletes, copies/rewrites, ranged downloads with `x-goog-hash`, generation preconditions (of N
 * concurrent `ifGenerationMatch=0` writes exactly one wins), and V4 signed URLs (`GET`/`PUT /:bucket/:object`).
 *
 * Not emulated: IAM/ACLs, object versioning (only the live generation is kept), compose, notifications, and
 * decompressive transcoding. Bucket creation is idempotent (GCS answers 409 for an existing bucket).
 *
 * @param options - See {@link GcsServerOptions}.
 * @returns The running server.
 * @throws GcsServerStartFailed when the port is taken, a signing key cannot be parsed, or the folder is unusable.
 * @example
 * ```ts
 * const server = await startGcsServer({ port: 0 });
 * const storage = new Storage({ projectId: 'demo-x', apiEndpoint: server.url });
 * await storage.bucket('b').create();
 * await server.stop();
 * ```
 */
export async function startGcsServer(options: GcsServerOptions = {}): Promise<RunningGcsServer> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  let verifier: SignedUrlVerifier | undefined;
  try {
    verifier = options.signingKey === undefined ? undefined : new SignedUrlVerifier(options.signingKey, now);
  } catch (error) {
    throw new GcsServerStartFailed('The GCS server signingKey is not a readable PEM key or key object.', {
      cause: error,
    });
  }
  const backend =
    options.backend ?? (options.directory ? new DirectoryBackend(options.directory) : new MemoryBackend());
  try {
    await backend.init();
  } catch (error) {
    throw new GcsServerStartFailed(
      `The GCS server could not open its ${backend.kind} storage: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const firstGeneration = backend instanceof DirectoryBackend ? backend.maxGeneration() : 0;
  const sessions = new UploadSessions(now, options.resumableSessionTtlMs ?? 7 * 24 * 3600 * 1000);
  const state = {
    service: new ObjectService(backend, now, firstGeneration),
    sessions,
    projectId: options.projectId ?? 'demo-skein',
    verifier,
  };
  let baseUrl = '';
  const server = createServer((req, res) => void handleRequest(req, res, state, baseUrl));
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new GcsServerStartFailed(`The GCS server could not listen on ${host}:${options.port ?? 0}.`, { cause: error }),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve((server.address() as AddressInfo).port));
  });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  baseUrl = url;
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    backendKind: backend.kind,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await sessions.discardAll();
      })();
      return stopping;
    },
  };
}

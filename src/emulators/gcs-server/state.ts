import type { ObjectService } from './object-service';
import type { SignedUrlVerifier } from './signed-url';
import type { UploadSessions } from './upload-sessions';

/** What every route handler shares. */
export interface ServerState {
  /** Object and bucket logic. */
  readonly service: ObjectService;
  /** Resumable upload sessions. */
  readonly sessions: UploadSessions;
  /** The project id (for bucket resources). */
  readonly projectId: string;
  /** Verifies signed URLs; undefined when no signing key is configured (then signatures are not checked). */
  readonly verifier: SignedUrlVerifier | undefined;
}

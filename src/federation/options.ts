import { randomUUID } from 'node:crypto';

import {
  CLOUD_DIRECTORY_PATTERN,
  DEFAULT_FEDERATION_RUN_DEADLINE_SECONDS,
  FEDERATION_PROJECT_PATTERN,
} from '../core/config';
import type { ObjectStore } from '../core/ports/object-store';
import type { Transport } from '../core/ports/transport';
import { validateSruid } from '../core/service-id';
import { InvalidInputException } from '../errors';
import { systemClock } from '../service';
import type { Clock, Logger } from '../service';
import { secureUniform } from './noise';
import type { UniformSource } from './noise';

/** FLAME documents "around 2 MB" per message; Skein enforces it (Pub/Sub itself allows 10 MB). */
export const DEFAULT_MAX_MESSAGE_BYTES = 2_000_000;
/** Event-driven Cloud Run functions live at most 9 minutes: an unbounded FLAME wait is bounded by this. */
export const DEFAULT_RUN_DEADLINE_MS = DEFAULT_FEDERATION_RUN_DEADLINE_SECONDS * 1000;
/** How long before the run deadline the last unbounded wait gives up, leaving time to answer. */
export const DEFAULT_DEADLINE_MARGIN_MS = 30_000;
/** FLAME checks for acknowledgements and messages once a second; Skein polls the mailbox as often, across processes. */
export const DEFAULT_POLL_INTERVAL_MS = 1000;

/**
 * Everything a service's federation support is built from. Each option is declared here once; entry points and tests
 * pass it to {@link createFederationRuntime}.
 */
export interface FederationOptions {
  /** This service's SRUID (a participant's id). */
  readonly serviceId: string;
  /** Where federation messages are published (the services topic). */
  readonly transport: Transport;
  /** Holds the mailboxes (and, in later increments, results and intermediate data). */
  readonly objectStore: ObjectStore;
  /**
   * The directory mailboxes live under, e.g. `gs://my-bucket/.skein/federation`. Each service reads and writes only
   * its own mailbox below it, so participants need not share a bucket.
   */
  readonly mailboxRoot: string;
  /**
   * The directory final results and intermediate data live under; default the mailbox root. Global intermediate data
   * is read by its recipients from here, so participants exchanging it must share this location (as FLAME's hub
   * bucket is shared).
   */
  readonly dataRoot?: string;
  /** The aggregator's output-manifest dataset key the final results become; default `final_results`. */
  readonly finalResultsDataset?: string;
  /** Uniform numbers in [0, 1) for local differential privacy; default the secure source (tests inject a seeded one). */
  readonly uniform?: UniformSource;
  /** The project: the configured scope that owns "local" data across analyses (never the GCP project implicitly). */
  readonly projectId: string;
  /** Largest message (data and attributes, in bytes) sent; default {@link DEFAULT_MAX_MESSAGE_BYTES}. */
  readonly maxMessageBytes?: number;
  /** How long one run may wait in total, from the federation's start; default 9 minutes. */
  readonly runDeadlineMs?: number;
  /** Margin kept before the run deadline by otherwise unbounded waits; default 30 s. */
  readonly deadlineMarginMs?: number;
  /** How often waits re-read the mailbox for messages written by other processes; default 1 s. */
  readonly pollIntervalMs?: number;
  /** Time and timers; default the system clock (tests inject a manual one). */
  readonly clock?: Clock;
  /** Fresh UUIDs (message id suffixes); default `crypto.randomUUID`. */
  readonly newUuid?: () => string;
  /** Where federation logs; default nowhere. */
  readonly logger?: Logger;
}

/** {@link FederationOptions} with every default filled in and checked. */
export type ResolvedFederationOptions = Required<Omit<FederationOptions, 'logger'>> & {
  readonly logger: Logger | undefined;
};

function cloudDirectory(name: string, location: string): string {
  const trimmed = typeof location === 'string' ? location.replace(/\/+$/, '') : '';
  if (!CLOUD_DIRECTORY_PATTERN.test(trimmed)) {
    throw new InvalidInputException(`The ${name} must be a gs:// directory; received '${location}'.`);
  }
  return trimmed;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidInputException(`${name} must be a positive number; received ${value}.`);
  }
  return value;
}

/**
 * Fills in defaults and checks the options.
 * @param options - The options as given.
 * @returns The resolved options.
 * @throws InvalidServiceID for a malformed SRUID; InvalidInputException for a mailbox root outside `gs://`, an empty
 *   project or a non-positive size or duration.
 */
export function resolveFederationOptions(options: FederationOptions): ResolvedFederationOptions {
  validateSruid(options.serviceId);
  const mailboxRoot = cloudDirectory('mailbox root', options.mailboxRoot);
  const dataRoot = cloudDirectory('data root', options.dataRoot ?? mailboxRoot);
  if (typeof options.projectId !== 'string' || !FEDERATION_PROJECT_PATTERN.test(options.projectId)) {
    throw new InvalidInputException(`The federation project id must be a short name; received '${options.projectId}'.`);
  }
  return {
    serviceId: options.serviceId,
    transport: options.transport,
    objectStore: options.objectStore,
    mailboxRoot,
    dataRoot,
    finalResultsDataset: options.finalResultsDataset ?? 'final_results',
    uniform: options.uniform ?? secureUniform,
    projectId: options.projectId,
    maxMessageBytes: positive('maxMessageBytes', options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES),
    runDeadlineMs: positive('runDeadlineMs', options.runDeadlineMs ?? DEFAULT_RUN_DEADLINE_MS),
    deadlineMarginMs: options.deadlineMarginMs ?? DEFAULT_DEADLINE_MARGIN_MS,
    pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS),
    clock: options.clock ?? systemClock,
    newUuid: options.newUuid ?? randomUUID,
    logger: options.logger,
  };
}

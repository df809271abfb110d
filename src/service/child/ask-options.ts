import { InvalidInputException } from '../../errors';
import type { ChildAskOptions } from './types';

/** Octue's `Child.ask` timeout: one day, in seconds. */
export const DEFAULT_ASK_TIMEOUT_SECONDS = 86_400;

/** Octue's maximum interval between a child's heartbeats, in seconds (it sends one every 120 s). */
export const DEFAULT_MAXIMUM_HEARTBEAT_INTERVAL_SECONDS = 360;

/** The limits and error settings of one ask, with defaults applied and checked. */
export interface ResolvedLimits {
  readonly raiseErrors: boolean;
  readonly maxRetries: number;
  readonly logErrors: boolean;
  readonly retryCount: number;
  readonly timeout: number | null;
  readonly maximumHeartbeatInterval: number;
}

/**
 * Checks a count option: a whole number of at least zero.
 * @param name - The option's name, for the message.
 * @param value - Its value.
 * @throws InvalidInputException otherwise.
 */
export function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidInputException(`${name} must be a whole number of at least 0; received ${String(value)}.`);
  }
}

function checkSeconds(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidInputException(
      `${name} must be a positive number of seconds; received ${String(value)}.` +
        (name === 'timeout' ? ' Pass null to wait without a time limit.' : ''),
    );
  }
}

/**
 * Applies Octue's defaults to the limits and error settings of an ask and checks them, so a bad option fails before
 * anything is published.
 * @param options - The ask's options.
 * @returns The resolved settings.
 * @throws InvalidInputException for a negative or fractional count, or a non-positive time.
 */
export function resolveLimits(options: ChildAskOptions): ResolvedLimits {
  const resolved: ResolvedLimits = {
    raiseErrors: options.raiseErrors ?? true,
    maxRetries: options.maxRetries ?? 0,
    logErrors: options.logErrors ?? true,
    retryCount: options.retryCount ?? 0,
    timeout: options.timeout === undefined ? DEFAULT_ASK_TIMEOUT_SECONDS : options.timeout,
    maximumHeartbeatInterval: options.maximumHeartbeatInterval ?? DEFAULT_MAXIMUM_HEARTBEAT_INTERVAL_SECONDS,
  };
  checkCount('maxRetries', resolved.maxRetries);
  checkCount('retryCount', resolved.retryCount);
  if (resolved.timeout !== null) checkSeconds('timeout', resolved.timeout);
  checkSeconds('maximumHeartbeatInterval', resolved.maximumHeartbeatInterval);
  return resolved;
}

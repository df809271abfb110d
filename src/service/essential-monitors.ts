import { formatEventDatetime } from '../core/events';

/**
 * Octue's essential monitor messages (`octue.twined.essentials.monitor_messages`), which follow the schema
 * `https://jsonschema.registry.octue.com/octue/essential-monitors/0.0.2.json`: a status text or an estimate of the
 * seconds remaining, each with the sending service's name and a UTC time.
 */

/** The schema id Octue's essential monitor messages follow. */
export const ESSENTIAL_MONITORS_SCHEMA_ID = 'https://jsonschema.registry.octue.com/octue/essential-monitors/0.0.2.json';

/** Anything that can send monitor messages (an Analysis). */
export interface MonitorMessageTarget {
  sendMonitorMessage(data: unknown): void;
}

/** A status-text monitor message. */
export interface StatusTextMessage {
  readonly service: string;
  readonly status_text: string;
  /** UTC time in Python's `isoformat()` form. */
  readonly date_time: string;
}

/** An estimated-seconds-remaining monitor message. */
export interface EstimatedSecondsRemainingMessage {
  readonly service: string;
  readonly estimated_seconds_remaining: number;
  /** UTC time in Python's `isoformat()` form. */
  readonly date_time: string;
}

/**
 * Sends a status-text monitor message.
 * @param target - The analysis to send it from.
 * @param text - The status.
 * @param serviceName - The name of the service running the analysis.
 * @param now - The time to stamp it with (default: now).
 * @returns The message sent.
 * @throws InvalidMonitorMessage when the twine's monitor_message_schema refuses it.
 */
export function sendStatusText(
  target: MonitorMessageTarget,
  text: string,
  serviceName: string,
  now: Date = new Date(),
): StatusTextMessage {
  const message = { service: serviceName, status_text: text, date_time: formatEventDatetime(now) };
  target.sendMonitorMessage(message);
  return message;
}

/**
 * Sends an estimated-seconds-remaining monitor message.
 * @param target - The analysis to send it from.
 * @param seconds - The estimate.
 * @param serviceName - The name of the service running the analysis.
 * @param now - The time to stamp it with (default: now).
 * @returns The message sent.
 * @throws InvalidMonitorMessage when the twine's monitor_message_schema refuses it.
 */
export function sendEstimatedSecondsRemaining(
  target: MonitorMessageTarget,
  seconds: number,
  serviceName: string,
  now: Date = new Date(),
): EstimatedSecondsRemainingMessage {
  const message = { service: serviceName, estimated_seconds_remaining: seconds, date_time: formatEventDatetime(now) };
  target.sendMonitorMessage(message);
  return message;
}

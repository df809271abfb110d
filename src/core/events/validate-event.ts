import { InvalidEvent } from '../../errors';
import type { ValidationFailure } from '../../errors';
import { validateEventAttributes, validateServiceCommunication } from '../generated/event-validators';
import { registerTrustedSchema, toValidationFailures } from '../json-schema';
import type { IdentifiedSchema, PrecompiledValidator } from '../json-schema';
import serviceCommunicationSchema from './schemas/service-communication.schema.json';
import type { EventAttributes, RecordedEvent } from './types';

/** The `$id` of Skein's service-communication schema (the Octue 0.15.0 shape, with no network references). */
export const SERVICE_COMMUNICATION_SCHEMA_ID = serviceCommunicationSchema.$id;

/** Skein's service-communication schema (draft 2020-12), for tools that want the document itself. */
export const SERVICE_COMMUNICATION_SCHEMA: IdentifiedSchema = serviceCommunicationSchema;

// The schema is precompiled (src/core/generated, from schemas/service-communication.schema.json), so the first event
// checked neither loads Ajv nor compiles it. The attributes validator is the schema's `$defs/attributes`, which the
// attributes are also checked against on their own when decoding them.
let registered = false;

function getValidators(): { event: PrecompiledValidator; attributes: PrecompiledValidator } {
  if (!registered) {
    // Keep the schema available by its `$id` to schemas compiled at run time, as before it was precompiled.
    registerTrustedSchema(SERVICE_COMMUNICATION_SCHEMA);
    registered = true;
  }
  return { event: validateServiceCommunication, attributes: validateEventAttributes };
}

function readString(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

function describe(candidate: unknown): { kind: string | undefined; from: string } {
  const event =
    typeof candidate === 'object' && candidate !== null ? (candidate as { event?: unknown }).event : undefined;
  const attributes =
    typeof candidate === 'object' && candidate !== null
      ? (candidate as { attributes?: unknown }).attributes
      : undefined;
  const sender = readString(attributes, 'sender');
  return { kind: readString(event, 'kind'), from: sender === undefined ? 'an unknown sender' : `'${sender}'` };
}

/**
 * Lists the ways `{event, attributes}` breaks the service-communication schema.
 * @param candidate - An event with its decoded attributes (typed `retry_count`/`forward_logs`, as recorded).
 * @returns One failure per problem, with JSON pointers such as `/event/exception_traceback/0`; empty when valid.
 */
export function findEventFailures(candidate: unknown): ValidationFailure[] {
  const { event } = getValidators();
  return event(candidate) ? [] : toValidationFailures(event.errors);
}

/**
 * Whether `{event, attributes}` conforms to the service-communication schema.
 * @param candidate - An event with its decoded attributes.
 * @returns `true` when valid.
 */
export function isValidEvent(candidate: unknown): candidate is RecordedEvent {
  return findEventFailures(candidate).length === 0;
}

/**
 * Checks `{event, attributes}` against Skein's service-communication schema (the shape of Octue's 0.15.0 schema with
 * embedded manifest and children schemas), as Octue checks every event it receives.
 * @param candidate - An event with its decoded attributes.
 * @returns The same object, typed.
 * @throws InvalidEvent listing every failure with its JSON pointer, the event's kind and the sender.
 */
export function validateEvent(candidate: unknown): RecordedEvent {
  const failures = findEventFailures(candidate);
  if (failures.length > 0) {
    const { kind, from } = describe(candidate);
    throw new InvalidEvent(
      `The ${kind === undefined ? 'event' : `'${kind}' event`} from ${from} does not conform to the ` +
        'service-communication schema:',
      { failures, kind, cause: getValidators().event.errors },
    );
  }
  return candidate as RecordedEvent;
}

/**
 * Checks decoded attributes on their own against the schema's attribute rules.
 * @param attributes - Decoded attributes.
 * @param kind - The event's kind, for the error message.
 * @returns The same object, typed.
 * @throws InvalidEvent listing every failure, with pointers under `/attributes`.
 */
export function validateAttributes(attributes: unknown, kind?: string): EventAttributes {
  const validator = getValidators().attributes;
  if (!validator(attributes)) {
    const sender = readString(attributes, 'sender');
    throw new InvalidEvent(
      `The attributes of ${kind === undefined ? 'an event' : `a '${kind}' event`} from ` +
        `${sender === undefined ? 'an unknown sender' : `'${sender}'`} are invalid:`,
      { failures: toValidationFailures(validator.errors, '/attributes'), kind, cause: validator.errors },
    );
  }
  return attributes as EventAttributes;
}

import { InvalidEvent } from '../../errors';
import type { ValidationFailure } from '../../errors';
import { compileSchema, registerSchema, toValidationFailures } from '../json-schema';
import type { IdentifiedSchema, SchemaValidator } from '../json-schema';
import serviceCommunicationSchema from './schemas/service-communication.schema.json';
import type { EventAttributes, RecordedEvent } from './types';

/** The `$id` of Skein's service-communication schema (the Octue 0.15.0 shape, with no network references). */
export const SERVICE_COMMUNICATION_SCHEMA_ID = serviceCommunicationSchema.$id;

/** Skein's service-communication schema (draft 2020-12), for tools that want the document itself. */
export const SERVICE_COMMUNICATION_SCHEMA: IdentifiedSchema = serviceCommunicationSchema;

// The attributes are also checked on their own when decoding them; this wrapper points into the registered schema.
const ATTRIBUTES_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $ref: `${SERVICE_COMMUNICATION_SCHEMA_ID}#/$defs/attributes`,
};

let validators: { event: SchemaValidator; attributes: SchemaValidator } | undefined;

function getValidators(): { event: SchemaValidator; attributes: SchemaValidator } {
  if (validators === undefined) {
    registerSchema(SERVICE_COMMUNICATION_SCHEMA);
    validators = {
      event: compileSchema(SERVICE_COMMUNICATION_SCHEMA),
      attributes: compileSchema(ATTRIBUTES_SCHEMA),
    };
  }
  return validators;
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
  return event(candidate) === true ? [] : toValidationFailures(event.errors);
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
  if (validator(attributes) !== true) {
    const sender = readString(attributes, 'sender');
    throw new InvalidEvent(
      `The attributes of ${kind === undefined ? 'an event' : `a '${kind}' event`} from ` +
        `${sender === undefined ? 'an unknown sender' : `'${sender}'`} are invalid:`,
      { failures: toValidationFailures(validator.errors, '/attributes'), kind, cause: validator.errors },
    );
  }
  return attributes as EventAttributes;
}

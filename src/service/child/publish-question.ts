import {
  encodeAttributes,
  makeQuestionAttributes,
  makeQuestionEvent,
  parseEventData,
  serialiseEventData,
  validateEvent,
} from '../../core/events';
import type {
  AttributeSources,
  ChildPrimitive,
  ManifestPrimitive,
  QuestionAttributes,
  SaveDiagnostics,
} from '../../core/events';
import type { Transport } from '../../core/ports/transport';

/** What a question is made of. */
export interface QuestionToPublish {
  /** The asking service's SRUID (sender and parent). */
  readonly sender: string;
  /** The child's SRUID. */
  readonly recipient: string;
  readonly questionUuid: string;
  readonly parentQuestionUuid?: string;
  readonly originatorQuestionUuid?: string;
  readonly originator?: string;
  readonly retryCount: number;
  readonly forwardLogs: boolean;
  readonly saveDiagnostics?: SaveDiagnostics;
  readonly cpus?: number;
  readonly memory?: string;
  readonly ephemeralStorage?: string;
  readonly inputValues?: unknown;
  readonly inputManifest?: ManifestPrimitive;
  readonly children?: readonly ChildPrimitive[];
}

/**
 * Builds a question with Octue's attributes, checks it against the service-communication schema as the child will
 * read it, and publishes it with the question uuid as ordering key (waiting until it is published).
 * @param transport - Where to publish.
 * @param question - The question's parts.
 * @param sources - Clock and UUID sources for the attributes.
 * @returns The attributes sent.
 * @throws InvalidEvent when the question would be invalid (e.g. malformed children or inputs that are not JSON);
 *   the transport's errors (e.g. `MessageTooLarge`).
 */
export async function publishQuestion(
  transport: Transport,
  question: QuestionToPublish,
  sources?: AttributeSources,
): Promise<QuestionAttributes> {
  const attributes = makeQuestionAttributes(
    {
      sender: question.sender,
      recipient: question.recipient,
      questionUuid: question.questionUuid,
      parentQuestionUuid: question.parentQuestionUuid,
      originatorQuestionUuid: question.originatorQuestionUuid,
      originator: question.originator,
      retryCount: question.retryCount,
      forwardLogs: question.forwardLogs,
      saveDiagnostics: question.saveDiagnostics,
      cpus: question.cpus,
      memory: question.memory,
      ephemeralStorage: question.ephemeralStorage,
    },
    sources,
  );
  const data = serialiseEventData(
    makeQuestionEvent({
      inputValues: question.inputValues,
      inputManifest: question.inputManifest,
      children: question.children,
    }),
  );
  // Check what will travel, parsed back as the child will parse it, so a bad question fails here and not silently
  // at the child (which drops invalid questions without answering).
  validateEvent({ event: parseEventData(data), attributes });
  await transport.publish({ data, attributes: encodeAttributes(attributes), orderingKey: attributes.question_uuid });
  return attributes;
}

import { randomUUID } from 'node:crypto';

import {
  checkExtensionAttributes,
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
import type { ObjectStore } from '../../core/ports/object-store';
import { assertPublishable } from '../../core/ports/transport';
import type { OutgoingMessage } from '../../core/ports/transport';
import { parseServiceId } from '../../core/service-id';
import { InvalidServiceID } from '../../errors';
import { loadInputManifest, signedManifestPrimitive } from './input-manifest';
import type { ChildAskOptions } from './types';

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
  /** Skein-only `skein_…` attributes (ignored by Octue peers), e.g. the federation context. */
  readonly extensionAttributes?: Readonly<Record<string, string>>;
}

/**
 * Builds a question with Octue's attributes and checks it against the service-communication schema as the child will
 * read it, with the question uuid as ordering key. Apart from publishing so that a bad question fails before anything
 * (such as an answer subscription) is set up for it.
 * @param question - The question's parts.
 * @param sources - Clock and UUID sources for the attributes.
 * @returns The message to publish and its attributes.
 * @throws InvalidEvent when the question would be invalid (e.g. malformed children or inputs that are not JSON);
 *   MessageTooLarge when it is over Pub/Sub's 10 MB limit.
 */
export function buildQuestionMessage(
  question: QuestionToPublish,
  sources?: AttributeSources,
): { message: OutgoingMessage; attributes: QuestionAttributes } {
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
  const encoded = encodeAttributes(attributes);
  if (question.extensionAttributes !== undefined) {
    checkExtensionAttributes(question.extensionAttributes);
    Object.assign(encoded, question.extensionAttributes);
  }
  const message = { data, attributes: encoded, orderingKey: attributes.question_uuid };
  // The transport refuses oversized messages too, but only when publishing: after the answer route is set up.
  assertPublishable(message);
  return { message, attributes };
}

/** Who asks whom, and the ports a question is prepared with. */
export interface QuestionContext {
  /** The child's SRUID. */
  readonly childId: string;
  /** The asking service's SRUID. */
  readonly parentSruid: string;
  readonly objectStore: ObjectStore | undefined;
  readonly sources: AttributeSources | undefined;
}

/**
 * Turns `ask`'s options into the checked question message: the child must have a revision tag, the input manifest is
 * loaded (local files refused unless allowed) and its cloud datasets signed, and the question uuid is the caller's or
 * a new one.
 * @param context - The child, the parent and the ports.
 * @param options - The question's options.
 * @param retryCount - Which attempt this is.
 * @returns The question's uuid and its message.
 * @throws InvalidServiceID when the child's id has no revision tag; FileLocationError for local files not allowed;
 *   InvalidEvent when the question would be invalid; MessageTooLarge when it is over Pub/Sub's 10 MB limit.
 */
export async function prepareQuestion(
  context: QuestionContext,
  options: ChildAskOptions,
  retryCount: number,
): Promise<{ questionUuid: string; message: OutgoingMessage }> {
  if (parseServiceId(context.childId).revisionTag === undefined) {
    throw new InvalidServiceID(
      `A service revision tag for '${context.childId}' must be provided if service registries aren't being used.`,
      { serviceId: context.childId },
    );
  }
  const manifest = await loadInputManifest(options.inputManifest, {
    allowLocalFiles: options.allowLocalFiles ?? false,
    objectStore: context.objectStore,
    allowedUrlHosts: options.allowedUrlHosts,
  });
  const questionUuid = options.questionUuid || randomUUID();
  const { message } = buildQuestionMessage(
    {
      sender: context.parentSruid,
      recipient: context.childId,
      questionUuid,
      parentQuestionUuid: options.parentQuestionUuid,
      originatorQuestionUuid: options.originatorQuestionUuid,
      originator: options.originator,
      retryCount,
      forwardLogs: options.subscribeToLogs ?? true,
      saveDiagnostics: options.saveDiagnostics,
      cpus: options.cpus,
      memory: options.memory,
      ephemeralStorage: options.ephemeralStorage,
      inputValues: options.inputValues,
      inputManifest: manifest && (await signedManifestPrimitive(manifest, context.objectStore)),
      children: options.children ?? undefined,
      extensionAttributes: options.extensionAttributes,
    },
    context.sources,
  );
  return { questionUuid, message };
}

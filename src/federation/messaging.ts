import { setOwnProperty } from '../core/json';
import {
  FederationMessageTooLarge,
  FederationPublishFailed,
  InvalidInputException,
  ReservedMessageKey,
} from '../errors';
import { makeMessageId } from './ids';
import type { IntermediateStore } from './intermediate';
import type { Mailbox, StoredMessage } from './mailbox';
import type { ResolvedFederationOptions } from './options';
import type { ParticipantStatus } from './status';
import type {
  AwaitedMessages,
  AwaitMessagesOptions,
  FederationMessage,
  SendMessageOptions,
  SendResult,
  StatusFilter,
} from './types';
import { pause, waitForMailbox } from './waits';
import { encodeMessage } from './wire';

/** What a {@link Messenger} works with: the participant, its mailbox and what it knows of the others. */
export interface MessengerInit {
  readonly options: ResolvedFederationOptions;
  /** Where bodies too large for a message go with `spill`. */
  readonly data: IntermediateStore;
  readonly analysisId: string;
  readonly mailbox: Mailbox;
  readonly status: ParticipantStatus;
  /** Checks ids against the other participants. @throws UnknownParticipant */
  readonly checkParticipants: (ids: readonly string[]) => void;
  /** Epoch ms after which an otherwise unbounded wait gives up (the run deadline minus the margin). */
  readonly unboundedDeadline: number;
  /** Finishes this participant when an `analysis_finished` message arrives (its waits then end). */
  readonly onFinished: () => Promise<void>;
}

/** The category FLAME's `analysis_finished()` sends; a participant receiving it finishes. */
export const ANALYSIS_FINISHED_CATEGORY = 'analysis_finished';

const DEFAULT_ATTEMPT_TIMEOUT_SECONDS = 10;
/** Publishing is retried this many times after a failure (FLAME retries 10 times at once; Skein backs off). */
export const PUBLISH_RETRIES = 4;
const PUBLISH_BACKOFF_MS = 200;

function checkBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputException('A message body must be a JSON object.');
  }
  if (Object.hasOwn(body, 'meta')) throw new ReservedMessageKey('meta');
  return body as Record<string, unknown>;
}

function checkSeconds(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new InvalidInputException(`${name} must be a positive number of seconds; received ${value}.`);
  }
}

/** FLAME's message broker over Pub/Sub and a durable mailbox: sending with acks and retries, waiting, listing. */
export class Messenger {
  // The numbering continues from earlier instances' records; concurrent first sends share the one lookup.
  private base: Promise<number> | undefined;
  private sent = 0;

  /** @param init - The participant, mailbox and status. */
  constructor(private readonly init: MessengerInit) {}

  /**
   * Sends one message to several receivers, re-sending the same id to those that have not acknowledged.
   * @param receivers - Other participants' ids.
   * @param category - The message's category.
   * @param body - A JSON object without `meta`.
   * @param options - Attempts and budgets.
   * @returns Who acknowledged and who did not.
   */
  async sendMessage(
    receivers: readonly string[],
    category: string,
    body: Record<string, unknown>,
    options: SendMessageOptions = {},
  ): Promise<SendResult> {
    const { options: config, mailbox, status } = this.init;
    const { clock } = config;
    this.init.checkParticipants(receivers);
    const checkedBody = checkBody(body);
    if (typeof category !== 'string' || category.length === 0 || category.length > 128) {
      throw new InvalidInputException('A message category must be a string of 1 to 128 characters.');
    }
    const maxAttempts = options.maxAttempts ?? 1;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1000) {
      throw new InvalidInputException(`maxAttempts must be an integer from 1 to 1000; received ${maxAttempts}.`);
    }
    checkSeconds('timeout', options.timeout);
    checkSeconds('attemptTimeout', options.attemptTimeout);
    // Receivers refuse longer correlations (message ids are short), so refuse them here rather than lose the message.
    if (options.inReplyTo !== undefined && (typeof options.inReplyTo !== 'string' || options.inReplyTo.length > 32)) {
      throw new InvalidInputException('inReplyTo must be a message id (a string of at most 32 characters).');
    }
    status.assertOpen();
    this.base ??= mailbox.lastOutgoingNumber();
    const base = await this.base;
    this.sent += 1;
    const number = base + this.sent;
    const sender = config.serviceId;
    const messageId = makeMessageId(sender, number, config.newUuid());
    const start = clock.now().getTime();
    const wire = {
      analysisId: this.init.analysisId,
      sender,
      category,
      messageId,
      body: checkedBody,
      createdAt: new Date(start).toISOString(),
      number,
      inReplyTo: options.inReplyTo ?? null,
    };
    // Measured before anything is published, for each receiver (attributes count towards the size).
    let spilled: Record<string, string> | undefined;
    for (const recipient of receivers) {
      const { sizeBytes } = encodeMessage(Object.assign({ recipient, attempt: maxAttempts }, wire));
      if (sizeBytes > config.maxMessageBytes) {
        if (options.spill !== true) throw new FederationMessageTooLarge(sizeBytes, config.maxMessageBytes, category);
        spilled = {};
        break;
      }
    }
    if (spilled !== undefined) {
      // The body travels as global intermediate data, one object per receiver; the message carries its id only.
      for (const [recipient, saved] of Object.entries(await this.init.data.saveGlobal(checkedBody, receivers))) {
        setOwnProperty(spilled, recipient, saved.id);
      }
    }
    await mailbox.storeOutgoing({
      body: checkedBody,
      meta: {
        type: 'outgoing',
        category,
        id: messageId,
        aknId: null,
        status: 'unread',
        sender,
        recipients: [...receivers],
        createdAt: wire.createdAt,
        arrivedAt: null,
        number,
        inReplyTo: wire.inReplyTo,
      },
    });
    const acknowledged = new Set<string>();
    const unanswered = (): string[] =>
      receivers.filter((receiver) => !acknowledged.has(receiver) && status.failureOf(receiver) === undefined);
    const timeoutMs = options.timeout === undefined ? undefined : options.timeout * 1000;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const pending = unanswered();
      if (pending.length === 0) break;
      await Promise.all(
        pending.map((recipient) =>
          this.publish(
            Object.assign(
              { recipient, attempt },
              wire,
              spilled === undefined ? {} : { body: {}, spilledBodyId: spilled[recipient] ?? null },
            ),
          ),
        ),
      );
      const now = clock.now().getTime();
      const attemptEnd =
        timeoutMs !== undefined
          ? Math.min(now + timeoutMs / maxAttempts, start + timeoutMs)
          : attempt < maxAttempts
            ? now + (options.attemptTimeout ?? DEFAULT_ATTEMPT_TIMEOUT_SECONDS) * 1000
            : this.init.unboundedDeadline;
      await waitForMailbox({
        directory: mailbox.directory,
        deadline: attemptEnd,
        clock,
        pollIntervalMs: config.pollIntervalMs,
        onInterrupt: (wake) => status.subscribe(wake),
        check: async () => {
          status.assertOpen();
          for (const receiver of await mailbox.acknowledgedBy(messageId)) acknowledged.add(receiver);
          return unanswered().length === 0 ? true : undefined;
        },
      });
      if (timeoutMs !== undefined && clock.now().getTime() - start >= timeoutMs) break;
    }
    return {
      messageId,
      acknowledged: receivers.filter((receiver) => acknowledged.has(receiver)),
      notAcknowledged: receivers.filter((receiver) => !acknowledged.has(receiver)),
    };
  }

  /**
   * Waits for messages from each sender: every unread match per sender (marked read), or `null` for a sender with
   * none by the deadline.
   * @param senders - Other participants' ids.
   * @param category - The category to match.
   * @param options - Message id, reply correlation and timeout.
   * @returns The messages per sender.
   * @throws ParticipantFailed as soon as a sender is known to have failed; FederationClosed.
   */
  async awaitMessages(
    senders: readonly string[],
    category: string,
    options: AwaitMessagesOptions = {},
  ): Promise<AwaitedMessages> {
    const { options: config, mailbox, status } = this.init;
    this.init.checkParticipants(senders);
    checkSeconds('timeout', options.timeout);
    const { clock } = config;
    const deadline =
      options.timeout === undefined ? this.init.unboundedDeadline : clock.now().getTime() + options.timeout * 1000;
    const received = new Map<string, FederationMessage[]>();
    const matches = (stored: StoredMessage): boolean => {
      const { meta } = stored.message;
      return (
        senders.includes(meta.sender) &&
        !received.has(meta.sender) &&
        meta.category === category &&
        (options.messageId === undefined || meta.id === options.messageId) &&
        (options.inReplyTo === undefined || meta.inReplyTo === options.inReplyTo)
      );
    };
    await waitForMailbox({
      directory: mailbox.directory,
      deadline,
      clock,
      pollIntervalMs: config.pollIntervalMs,
      onInterrupt: (wake) => status.subscribe(wake),
      check: async () => {
        status.assertOpen();
        for (const sender of senders) {
          const failure = status.failureOf(sender);
          if (failure !== undefined && !received.has(sender)) throw failure;
        }
        const unread = await mailbox.list('in', 'unread');
        const finished = unread.find((stored) => stored.message.meta.category === ANALYSIS_FINISHED_CATEGORY);
        if (category !== ANALYSIS_FINISHED_CATEGORY && finished !== undefined) {
          // As FLAME's webhook: a participant told the analysis has finished finishes too, ending this wait.
          await mailbox.markRead(finished);
          await this.init.onFinished();
          status.assertOpen();
        }
        const found = new Map<string, FederationMessage[]>();
        for (const stored of unread.filter(matches)) {
          if (!(await mailbox.markRead(stored))) continue;
          const list = found.get(stored.message.meta.sender) ?? [];
          list.push(Object.assign({}, stored.message, { meta: { ...stored.message.meta, status: 'read' } }));
          found.set(stored.message.meta.sender, list);
        }
        for (const [sender, list] of found)
          received.set(
            sender,
            list.sort((a, b) => a.meta.number - b.meta.number),
          );
        return received.size === new Set(senders).size ? true : undefined;
      },
    });
    const result: AwaitedMessages = {};
    for (const sender of senders) setOwnProperty(result, sender, received.get(sender) ?? null);
    return result;
  }

  /**
   * Lists received messages.
   * @param status - `unread` (default), `read` or `all`.
   * @returns The messages, oldest first.
   */
  async getMessages(status: StatusFilter = 'unread'): Promise<FederationMessage[]> {
    const listed = await this.init.mailbox.list('in', status);
    return listed.map((stored) => stored.message).sort((a, b) => a.meta.createdAt.localeCompare(b.meta.createdAt));
  }

  /**
   * Deletes received and sent messages by id.
   * @param ids - Message ids.
   * @returns How many records were deleted.
   */
  async deleteMessages(ids: readonly string[]): Promise<number> {
    const wanted = new Set(ids);
    const stored = [...(await this.init.mailbox.list('in', 'all')), ...(await this.init.mailbox.list('out', 'all'))];
    const doomed = stored.filter((entry) => wanted.has(entry.message.meta.id));
    await this.init.mailbox.delete(doomed.map((entry) => entry.location));
    return doomed.length;
  }

  /**
   * Deletes received and sent messages by status (`all` ignores it, as FLAME documents) and age.
   * @param status - `read` (default), `unread` or `all`.
   * @param minAge - Only messages at least this many seconds old (whole durations, days included).
   * @returns How many records were deleted.
   */
  async clearMessages(status: StatusFilter = 'read', minAge?: number): Promise<number> {
    if (minAge !== undefined && !(Number.isFinite(minAge) && minAge >= 0)) {
      throw new InvalidInputException(`minAge must be a number of seconds >= 0; received ${minAge}.`);
    }
    const now = this.init.options.clock.now().getTime();
    const stored = [...(await this.init.mailbox.list('in', status)), ...(await this.init.mailbox.list('out', status))];
    const doomed = stored.filter(
      (entry) => minAge === undefined || now - Date.parse(entry.message.meta.createdAt) >= minAge * 1000,
    );
    await this.init.mailbox.delete(doomed.map((entry) => entry.location));
    return doomed.length;
  }

  // Retries a failed publish with exponential, jittered backoff (so many senders do not retry in step), then gives up
  // with an error naming the receiver.
  private async publish(message: Parameters<typeof encodeMessage>[0]): Promise<void> {
    const { transport, clock, uniform } = this.init.options;
    const encoded = encodeMessage(message).message;
    for (let retry = 0; ; retry += 1) {
      try {
        await transport.publish(encoded);
        return;
      } catch (error) {
        if (retry >= PUBLISH_RETRIES) throw new FederationPublishFailed(message.recipient, { cause: error });
        await pause(clock, PUBLISH_BACKOFF_MS * 2 ** retry * (0.5 + uniform() / 2));
      }
    }
  }
}

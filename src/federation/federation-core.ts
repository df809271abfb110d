import { AnalysisFinished, FederationClosed, InvalidFederationMessage, UnknownParticipant } from '../errors';
import { checkParticipants, encodeContext } from './context';
import type { FederationContext } from './context';
import type { Manifest } from '../core/resources';
import { IntermediateStore } from './intermediate';
import { Mailbox } from './mailbox';
import { Messenger } from './messaging';
import type { ResolvedFederationOptions } from './options';
import { ParticipantStatus } from './status';
import type {
  AwaitedMessages,
  AwaitMessagesOptions,
  FederationMessage,
  Participant,
  Role,
  SendMessageOptions,
  SendResult,
  StatusFilter,
} from './types';

/** What {@link FederationCore.join} needs. */
export interface JoinParams {
  readonly options: ResolvedFederationOptions;
  readonly context: FederationContext;
  /** This participant's role (`proxy` for a node without data sources). */
  readonly role: Role;
  /** Told where final results were written (the aggregator's runtime adds them to the output manifest). */
  readonly onFinalResults?: (directory: string) => Promise<void>;
  /** The question's input manifest: the node's data sources. */
  readonly inputManifest?: Manifest;
}

/**
 * The identity, participants and messaging of one participant's view of a federated analysis (FLAME's general and
 * message-broker methods); {@link Federation} adds results, intermediate data and the lifecycle.
 */
export class FederationCore {
  protected readonly options: ResolvedFederationOptions;
  protected readonly context: FederationContext;
  protected readonly role: Role;
  private readonly others: readonly Participant[];
  private readonly messenger: Messenger;
  /** This participant's intermediate data (also where spilled message bodies go). */
  protected readonly data: IntermediateStore;
  private readonly mailbox: Mailbox;
  private finished = false;
  /** Epoch ms after which an otherwise unbounded wait gives up (the run deadline minus the margin). */
  protected readonly unboundedDeadline: number;
  /** Liveness of the other participants (status sync). */
  protected readonly status = new ParticipantStatus();

  /**
   * Use {@link FederationCore.join}, which also records the context in this participant's mailbox.
   * @param params - Options, context and role.
   */
  constructor(params: JoinParams) {
    this.options = params.options;
    this.context = params.context;
    this.role = params.role;
    const self = params.options.serviceId;
    this.others = params.context.participants.filter((participant) => participant.nodeId !== self);
    const mailbox = new Mailbox(params.options.objectStore, params.options.mailboxRoot, this.context.analysisId, self);
    const started = params.options.clock.now().getTime();
    const { objectStore, dataRoot, newUuid, clock } = params.options;
    this.data = new IntermediateStore(
      objectStore,
      dataRoot,
      params.context.projectId,
      params.context.analysisId,
      self,
      newUuid,
      () => clock.now(),
    );
    this.messenger = new Messenger({
      data: this.data,
      options: params.options,
      analysisId: params.context.analysisId,
      mailbox,
      status: this.status,
      checkParticipants: (ids) => this.checkOthers(ids),
      unboundedDeadline: started + params.options.runDeadlineMs - params.options.deadlineMarginMs,
      onFinished: () => this.finish(),
    });
    this.mailbox = mailbox;
    this.unboundedDeadline = started + params.options.runDeadlineMs - params.options.deadlineMarginMs;
  }

  /**
   * Joins an analysis: records its context in this participant's mailbox (so the federation route accepts messages
   * for it from now on, in any process of this service) and returns the participant's view.
   * @param params - Options, context and role.
   * @returns The federation.
   * @throws InvalidFederationMessage when the context's participants break the rules or omit this service.
   */
  static async join<T extends FederationCore>(this: new (params: JoinParams) => T, params: JoinParams): Promise<T> {
    checkParticipants(params.context.participants);
    if (!params.context.participants.some((participant) => participant.nodeId === params.options.serviceId)) {
      throw new InvalidFederationMessage(`'${params.options.serviceId}' is not a participant of this analysis.`);
    }
    const federation = new this(params);
    await federation.recordContext();
    return federation;
  }

  /** @returns This participant's id (its SRUID). */
  getId(): string {
    return this.options.serviceId;
  }

  /** @returns `aggregator`, `default`, or `proxy` for a node without data sources. */
  getRole(): Role {
    return this.role;
  }

  /** @returns The analysis id (by default the originator question uuid). */
  getAnalysisId(): string {
    return this.context.analysisId;
  }

  /** @returns The configured project. */
  getProjectId(): string {
    return this.context.projectId;
  }

  /** @returns The other participants (never this one), as copies. */
  getParticipants(): Participant[] {
    return this.others.map((participant) => ({ nodeId: participant.nodeId, nodeType: participant.nodeType }));
  }

  /** @returns The other participants' ids. */
  getParticipantIds(): string[] {
    return this.others.map((participant) => participant.nodeId);
  }

  /** @returns The aggregator's id, or `null` on the aggregator itself (as FLAME). */
  getAggregatorId(): string | null {
    return this.others.find((participant) => participant.nodeType === 'aggregator')?.nodeId ?? null;
  }

  /**
   * Sends a message (FLAME's `send_message`): every attempt re-sends the same message id to the receivers that have
   * not acknowledged yet. With `timeout`, each attempt gets `timeout / maxAttempts` seconds; without it each gets
   * `attemptTimeout` (10 s) and the last one waits until the run deadline minus the margin, never for ever.
   * @param receivers - Other participants' ids.
   * @param category - The category receivers wait on.
   * @param body - A JSON object; the key `meta` is reserved.
   * @param options - `maxAttempts`, `timeout`, `attemptTimeout`, `inReplyTo`.
   * @returns The message id, who acknowledged and who did not (a failed participant is never waited for).
   * @throws UnknownParticipant; ReservedMessageKey; FederationMessageTooLarge before publishing;
   *   FederationPublishFailed; FederationClosed.
   */
  sendMessage(
    receivers: readonly string[],
    category: string,
    body: Record<string, unknown>,
    options?: SendMessageOptions,
  ): Promise<SendResult> {
    return this.messenger.sendMessage(receivers, category, body, options);
  }

  /**
   * Waits for messages (FLAME's `await_messages`): for each sender, every unread message of the category (marked
   * read), or `null` when none came in time. Wakes when a matching message is stored, by identity rather than count.
   * @param senders - Other participants' ids.
   * @param category - The category.
   * @param options - `messageId`, `inReplyTo`, `timeout` (seconds; default until the run deadline minus the margin).
   * @returns The messages per sender.
   * @throws UnknownParticipant; ParticipantFailed at once when a sender is known to have failed; FederationClosed.
   */
  awaitMessages(
    senders: readonly string[],
    category: string,
    options?: AwaitMessagesOptions,
  ): Promise<AwaitedMessages> {
    return this.messenger.awaitMessages(senders, category, options);
  }

  /**
   * Sends, then waits on the same category for the receivers' responses with the time left (at least 1 s); without
   * a timeout, until the run deadline minus the margin.
   * @returns The responses per receiver.
   */
  async sendMessageAndWaitForResponses(
    receivers: readonly string[],
    category: string,
    body: Record<string, unknown>,
    options: SendMessageOptions = {},
  ): Promise<AwaitedMessages> {
    const started = this.options.clock.now().getTime();
    await this.sendMessage(receivers, category, body, options);
    const timeout =
      options.timeout === undefined
        ? undefined
        : Math.max(1, options.timeout - (this.options.clock.now().getTime() - started) / 1000);
    return this.awaitMessages(receivers, category, { timeout });
  }

  /**
   * @param status - `unread` (default), `read` or `all`.
   * @returns The received messages with that status.
   */
  getMessages(status?: StatusFilter): Promise<FederationMessage[]> {
    return this.messenger.getMessages(status);
  }

  /**
   * @param ids - Message ids.
   * @returns How many received and sent records were deleted.
   */
  deleteMessages(ids: readonly string[]): Promise<number> {
    return this.messenger.deleteMessages(ids);
  }

  /**
   * @param status - `read` (default), `unread` or `all` (all statuses, as FLAME documents).
   * @param minAge - Only messages at least this many seconds old.
   * @returns How many received and sent records were deleted.
   */
  clearMessages(status?: StatusFilter, minAge?: number): Promise<number> {
    return this.messenger.clearMessages(status, minAge);
  }

  /**
   * Status sync: records that a participant failed (its question's exception, or its heartbeat stopped), ending
   * every pending wait on it at once with `ParticipantFailed`.
   * @param participantId - The failed participant.
   * @param cause - Its error.
   */
  reportParticipantFailure(participantId: string, cause: unknown): void {
    this.checkOthers([participantId]);
    this.status.fail(participantId, cause);
  }

  /** Ends every pending wait with `FederationClosed` (the Runner calls it when the app has finished). */
  async close(): Promise<void> {
    this.status.close(new FederationClosed(`The federated analysis '${this.getAnalysisId()}' has ended here.`));
  }

  /** @returns Whether this participant has finished (it called `analysisFinished()` or was told so). */
  isFinished(): boolean {
    return this.finished;
  }

  /**
   * Finishes this participant: persists its status (`executed`, progress 100) next to its mailbox, where any
   * instance can read it, and ends every pending and later wait with `AnalysisFinished`.
   */
  protected async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.options.objectStore.upload(
      `${this.mailbox.directory}/status.json`,
      JSON.stringify({ status: 'executed', progress: 100, at: this.options.clock.now().toISOString() }),
      { contentType: 'application/json' },
    );
    this.status.close(new AnalysisFinished(this.getAnalysisId()));
  }

  /** The context as the question attributes carry it. */
  protected contextAttributes(): Record<string, string> {
    return encodeContext(this.context);
  }

  private async recordContext(): Promise<void> {
    const mailbox = new Mailbox(this.options.objectStore, this.options.mailboxRoot, this.getAnalysisId(), this.getId());
    await this.options.objectStore.upload(mailbox.contextLocation, JSON.stringify(this.contextAttributes()), {
      contentType: 'application/json',
    });
  }

  /** @throws UnknownParticipant unless every id is another participant's. */
  protected checkOthers(ids: readonly string[]): void {
    if (!Array.isArray(ids) || ids.length === 0) throw new UnknownParticipant(String(ids), this.getParticipantIds());
    for (const id of ids) {
      if (!this.others.some((participant) => participant.nodeId === id)) {
        throw new UnknownParticipant(String(id), this.getParticipantIds());
      }
    }
  }
}

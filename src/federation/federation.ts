import {
  FederationClosed,
  FederationRoleError,
  InvalidInputException,
  InvalidFederationMessage,
  UnknownParticipant,
} from '../errors';
import { checkParticipants, encodeContext } from './context';
import type { FederationContext } from './context';
import { prepareFinalResults } from './final-results';
import type { SubmitFinalResultOptions } from './final-results';
import { IntermediateStore, isDataId } from './intermediate';
import type { DataLocation, SavedData, TagOption } from './intermediate';
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

/** What {@link Federation.join} needs. */
export interface JoinParams {
  readonly options: ResolvedFederationOptions;
  readonly context: FederationContext;
  /** This participant's role (`proxy` for a node without data sources). */
  readonly role: Role;
  /** Told where final results were written (the aggregator's runtime adds them to the output manifest). */
  readonly onFinalResults?: (directory: string) => Promise<void>;
}

/**
 * One participant's view of a federated analysis: FLAME's core SDK (`FlameCoreSDK`) on Skein's serverless base. An
 * app gets it as `analysis.federation`, on the aggregator from `analysis.startFederation(...)` and on a node when its
 * question carries a federation context.
 */
export class Federation {
  private readonly options: ResolvedFederationOptions;
  private readonly context: FederationContext;
  private readonly role: Role;
  private readonly others: readonly Participant[];
  private readonly messenger: Messenger;
  private readonly data: IntermediateStore;
  private readonly onFinalResults: JoinParams['onFinalResults'];
  /** Liveness of the other participants (status sync). */
  protected readonly status = new ParticipantStatus();

  /**
   * Use {@link Federation.join}, which also records the context in this participant's mailbox.
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
      this.context.projectId,
      this.context.analysisId,
      self,
      newUuid,
      () => clock.now(),
    );
    this.onFinalResults = params.onFinalResults;
    this.messenger = new Messenger({
      options: params.options,
      analysisId: params.context.analysisId,
      mailbox,
      status: this.status,
      checkParticipants: (ids) => this.checkOthers(ids),
      unboundedDeadline: started + params.options.runDeadlineMs - params.options.deadlineMarginMs,
    });
  }

  /**
   * Joins an analysis: records its context in this participant's mailbox (so the federation route accepts messages
   * for it from now on, in any process of this service) and returns the participant's view.
   * @param params - Options, context and role.
   * @returns The federation.
   * @throws InvalidFederationMessage when the context's participants break the rules or omit this service.
   */
  static async join<T extends Federation>(this: new (params: JoinParams) => T, params: JoinParams): Promise<T> {
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
   * Submits the analysis's final result (aggregator only), with FLAME's rules for `multipleResults`, output types and
   * file names. The files go to `<data root>/<analysis>/final/` and become the aggregator's output-manifest dataset.
   * @param result - The result (an array with `multipleResults`).
   * @param options - `outputType` (`str`, `bytes`, `json`; not `pickle`), `multipleResults`, `filename`, `localDp`.
   * @returns `{status: 'success'}`, or one per result when several were submitted.
   * @throws FederationRoleError on a node; InvalidInputException for bad options or results.
   */
  async submitFinalResult(
    result: unknown,
    options: SubmitFinalResultOptions = {},
  ): Promise<{ status: 'success' } | { status: 'success' }[]> {
    if (this.role !== 'aggregator') {
      throw new FederationRoleError('Only the aggregator can submit final results.', this.role);
    }
    const { files, multiple } = prepareFinalResults(result, options, {
      uniform: this.options.uniform,
      now: this.options.clock.now(),
      newUuid: this.options.newUuid,
      logger: this.options.logger,
    });
    const directory = `${this.options.dataRoot}/${this.getAnalysisId()}/final`;
    for (const file of files) {
      await this.options.objectStore.upload(`${directory}/${file.name}`, file.contents, {
        contentType: file.contentType,
      });
    }
    await this.onFinalResults?.(directory);
    const statuses = files.map(() => ({ status: 'success' as const }));
    return multiple ? statuses : (statuses[0] as { status: 'success' });
  }

  /**
   * Saves intermediate data: `local` to the project (optionally tagged, readable by later analyses of the project),
   * or `global` as one object per recipient.
   * @param data - JSON data or a Buffer.
   * @param location - `local` or `global`.
   * @param options - `remoteNodeIds` (required for global), `tag` (local only).
   * @returns `{status, url, id}` for local data, or one per recipient for global data.
   */
  async saveIntermediateData(
    data: unknown,
    location: DataLocation,
    options: { remoteNodeIds?: readonly string[]; tag?: string } = {},
  ): Promise<SavedData | Record<string, SavedData>> {
    if (location === 'local') {
      if (options.remoteNodeIds !== undefined) throw new InvalidInputException('Local data has no recipients.');
      return this.data.saveLocal(data, options.tag);
    }
    if (location !== 'global') throw new InvalidInputException(`Unknown data location '${String(location)}'.`);
    if (options.tag !== undefined) throw new InvalidInputException('Tags apply to local data only.');
    this.checkOthers(options.remoteNodeIds ?? []);
    return this.data.saveGlobal(data, options.remoteNodeIds ?? []);
  }

  /**
   * Reads intermediate data by id (local data of the project, or global data sent to this participant), or local
   * data by tag.
   * @returns The data; for a tag, the list chosen by `tagOption` (`all` by default).
   */
  async getIntermediateData(
    location: DataLocation,
    query: { id?: string; tag?: string; tagOption?: TagOption },
  ): Promise<unknown> {
    if (query.tag !== undefined) {
      if (location !== 'local') throw new InvalidInputException('Tags apply to local data only.');
      return this.data.readByTag(query.tag, query.tagOption ?? 'all');
    }
    if (query.id === undefined) throw new InvalidInputException('Give the id or (for local data) the tag.');
    return this.data.readById(location, query.id);
  }

  /**
   * @param filter - Only tags containing this.
   * @returns The project's tags.
   */
  getLocalTags(filter?: string): Promise<string[]> {
    return this.data.tags(filter);
  }

  /**
   * FLAME's `send_intermediate_data`: saves the data globally for each receiver, then sends each its id in
   * `{result_id: {[receiver]: id}}` with the usual acknowledgements and retries.
   * @returns The send's result.
   */
  async sendIntermediateData(
    receivers: readonly string[],
    data: unknown,
    options: SendMessageOptions & { category?: string } = {},
  ): Promise<SendResult> {
    const saved = (await this.saveIntermediateData(data, 'global', { remoteNodeIds: receivers })) as Record<
      string,
      SavedData
    >;
    const ids: Record<string, string> = {};
    for (const [receiver, entry] of Object.entries(saved))
      Object.defineProperty(ids, receiver, { value: entry.id, enumerable: true });
    return this.sendMessage(receivers, options.category ?? 'intermediate_data', { result_id: ids }, options);
  }

  /**
   * FLAME's `await_intermediate_data`: waits for the senders' messages and reads the data the **last** message of
   * each names for this participant.
   * @returns The data per sender, or `null` for a sender with none in time.
   */
  async awaitIntermediateData(
    senders: readonly string[],
    options: { category?: string; timeout?: number } = {},
  ): Promise<Record<string, unknown>> {
    const messages = await this.awaitMessages(senders, options.category ?? 'intermediate_data', {
      timeout: options.timeout,
    });
    const result: Record<string, unknown> = {};
    for (const sender of senders) {
      const last = messages[sender]?.at(-1);
      const ids = last?.body.result_id;
      const id =
        typeof ids === 'object' && ids !== null && Object.hasOwn(ids, this.getId())
          ? (ids as Record<string, unknown>)[this.getId()]
          : undefined;
      const data = isDataId(id) ? await this.data.readById('global', id) : null;
      Object.defineProperty(result, sender, { value: data, enumerable: true, writable: true });
    }
    return result;
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

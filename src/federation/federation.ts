import { FederationRoleError, InvalidInputException } from '../errors';
import { FederationCore } from './federation-core';
import type { JoinParams } from './federation-core';
import { prepareFinalResults } from './final-results';
import type { SubmitFinalResultOptions } from './final-results';
import { DataSources } from './data-sources';
import type { DataSource } from './data-sources';
import { isDataId } from './intermediate';
import type { DataLocation, SavedData, TagOption } from './intermediate';
import { ANALYSIS_FINISHED_CATEGORY } from './messaging';
import type { Dataset } from '../core/resources';
import type { SendMessageOptions, SendResult } from './types';
import { pause } from './waits';

/**
 * One participant's view of a federated analysis: FLAME's core SDK (`FlameCoreSDK`) on Skein's serverless base. An
 * app gets it as `analysis.federation`, on the aggregator from `analysis.startFederation(...)` and on a node when its
 * question carries a federation context. Identity, participants and messaging come from {@link FederationCore}.
 */
export class Federation extends FederationCore {
  private readonly onFinalResults: JoinParams['onFinalResults'];
  private readonly sources: DataSources;

  /**
   * Use {@link FederationCore.join} (as `Federation.join`), which also records the context in the mailbox.
   * @param params - Options, context and role.
   */
  constructor(params: JoinParams) {
    super(params);
    this.onFinalResults = params.onFinalResults;
    this.sources = new DataSources(params.inputManifest, params.options.objectStore, params.options.logger);
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
   * FLAME's `ready_check`: rounds of one `ready_check` message (bounded by `attemptInterval` seconds) to the nodes
   * that have not answered yet, 1 s apart, until all have answered or `timeout` seconds have passed (checked between
   * rounds; default the run deadline). "Ready" means the node's route stored and acknowledged the message. The
   * caller's list is never changed.
   * @param nodes - Participant ids, or `all` (default).
   * @param options - `attemptInterval` (default 30 s) and `timeout`.
   * @returns Whether each node answered.
   */
  async readyCheck(
    nodes: readonly string[] | 'all' = 'all',
    options: { attemptInterval?: number; timeout?: number } = {},
  ): Promise<Record<string, boolean>> {
    const list = nodes === 'all' ? this.getParticipantIds() : [...nodes];
    this.checkOthers(list);
    const { clock } = this.options;
    const deadline =
      options.timeout === undefined ? this.unboundedDeadline : clock.now().getTime() + options.timeout * 1000;
    const ready: Record<string, boolean> = {};
    for (const node of list) Object.defineProperty(ready, node, { value: false, enumerable: true, writable: true });
    let pending = list.filter((node) => this.status.failureOf(node) === undefined);
    while (pending.length > 0) {
      const { acknowledged } = await this.sendMessage(
        pending,
        'ready_check',
        {},
        {
          timeout: options.attemptInterval ?? 30,
        },
      );
      for (const node of acknowledged) ready[node] = true;
      pending = pending.filter((node) => !ready[node] && this.status.failureOf(node) === undefined);
      if (pending.length === 0 || clock.now().getTime() >= deadline) break;
      await pause(clock, 1000);
    }
    return ready;
  }

  /**
   * FLAME's `analysis_finished`: tells every other participant (5 attempts of 30 s; the last bounded by the run
   * deadline, never unbounded), then records this participant's status as `executed` and ends its waits. The app
   * should then return, which completes its question. A participant receiving the message finishes the same way:
   * its waits end with `AnalysisFinished`, which its app may let propagate.
   * @returns Who acknowledged the message.
   */
  async analysisFinished(): Promise<SendResult> {
    const others = this.getParticipantIds();
    const sent = await this.sendMessage(others, ANALYSIS_FINISHED_CATEGORY, {}, { maxAttempts: 5, attemptTimeout: 30 });
    await this.finish();
    return sent;
  }

  /** @returns Whether this node has data sources (FLAME's `node_has_data`; a node without is a `proxy`). */
  nodeHasData(): boolean {
    return this.sources.hasData();
  }

  /** @returns The node's data sources (its input-manifest datasets), or `null` with a warning on a node without. */
  getDataSources(): DataSource[] | null {
    return this.sources.list();
  }

  /**
   * @param id - A data source's id.
   * @returns Its typed client (the Dataset), or `null` with a warning on a node without data.
   */
  getDataClient(id: string): Dataset | null {
    return this.sources.client(id);
  }

  /**
   * Reads every source's files whole (FLAME's `get_s3_data`): one `{name: bytes}` per source.
   * @param keys - File names to keep; `[]` (default) keeps all.
   * @returns The files per source, or `null` with a warning on a node without data.
   */
  getGcsData(keys: readonly string[] = []): Promise<Record<string, Buffer>[] | null> {
    return this.sources.read(keys);
  }

  /** FLAME's name for {@link Federation.getGcsData} (GCS also speaks the S3 XML API). */
  getS3Data(keys: readonly string[] = []): Promise<Record<string, Buffer>[] | null> {
    return this.getGcsData(keys);
  }
}

import type { ObjectStore } from '../core/ports/object-store';
import { CloudStorageBucketNotFound, InvalidInputException } from '../errors';
import { idSegment } from './ids';

/**
 * Intermediate data (FLAME's `save_intermediate_data` and friends), stored as JSON (or raw bytes for a Buffer; there
 * is no pickle) under the data root:
 *
 * ```
 * <data root>/local/<project>/data/<id>                     local data, readable by later analyses of the project
 * <data root>/local/<project>/tags/<tag>/<time>-<id>        the tag index (the object holds nothing)
 * <data root>/global/<analysis>/<enc(recipient)>/<id>       global data, one object per recipient
 * ```
 *
 * Global data is read by id from the reader's own recipient directory only, so an id received in a message can
 * name nothing else. (The data root must be shared by the participants for global data, as FLAME's hub bucket is.)
 * @module
 */

/** Where intermediate data goes: the node's project (`local`) or to other participants (`global`). */
export type DataLocation = 'local' | 'global';

/** What a save returns for one object (FLAME's `{status, url, id}`). */
export interface SavedData {
  readonly status: 'success';
  /** A V4 signed URL (read) for global data; the `gs://` location for local data. */
  readonly url: string;
  readonly id: string;
}

/** Which of several tagged objects `getIntermediateData` returns. */
export type TagOption = 'all' | 'first' | 'last';

const TAG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Checks a tag against FLAME's rule: lowercase letters, digits and single hyphens, at most 32 characters.
 * @param tag - The tag.
 * @throws InvalidInputException when it breaks the rule.
 */
export function checkTag(tag: string): void {
  if (typeof tag !== 'string' || tag.length > 32 || !TAG_PATTERN.test(tag)) {
    throw new InvalidInputException(
      `Invalid tag '${String(tag)}': use lowercase letters, digits and hyphens, at most 32 characters.`,
    );
  }
}

/**
 * Checks an intermediate data id (a UUID, possibly received in a message).
 * @param id - The id.
 * @returns Whether it is one.
 */
export function isDataId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

/** Reads and writes one participant's intermediate data. */
export class IntermediateStore {
  /**
   * @param store - The object store.
   * @param root - The data root.
   * @param projectId - The project (for local data).
   * @param analysisId - The analysis (for global data).
   * @param self - This participant's SRUID.
   * @param newUuid - Fresh UUIDs.
   * @param now - The current time.
   */
  constructor(
    private readonly store: ObjectStore,
    private readonly root: string,
    private readonly projectId: string,
    private readonly analysisId: string,
    private readonly self: string,
    private readonly newUuid: () => string,
    private readonly now: () => Date,
  ) {}

  /**
   * Saves local data, optionally tagged.
   * @returns Its id and location.
   */
  async saveLocal(data: unknown, tag: string | undefined): Promise<SavedData> {
    if (tag !== undefined) checkTag(tag);
    const id = this.newUuid();
    const location = `${this.localRoot()}/data/${id}`;
    await this.write(location, data);
    if (tag !== undefined) {
      const stamp = String(this.now().getTime()).padStart(15, '0');
      await this.store.upload(`${this.localRoot()}/tags/${tag}/${stamp}-${id}`, id, { contentType: 'text/plain' });
    }
    return { status: 'success', url: location, id };
  }

  /**
   * Saves global data: one object per recipient.
   * @returns Each recipient's id and signed URL.
   */
  async saveGlobal(data: unknown, recipients: readonly string[]): Promise<Record<string, SavedData>> {
    const saved: Record<string, SavedData> = {};
    for (const recipient of recipients) {
      const id = this.newUuid();
      const location = this.globalLocation(recipient, id);
      await this.write(location, data);
      Object.defineProperty(saved, recipient, {
        value: { status: 'success', url: await this.store.signUrl(location), id },
        enumerable: true,
        writable: true,
      });
    }
    return saved;
  }

  /**
   * Reads data by id: local data of the project, or global data sent to this participant.
   * @throws InvalidInputException for a malformed id; ObjectNotFound when there is none.
   */
  async readById(location: DataLocation, id: string): Promise<unknown> {
    if (!isDataId(id)) throw new InvalidInputException(`'${String(id)}' is not an intermediate data id.`);
    return this.read(location === 'local' ? `${this.localRoot()}/data/${id}` : this.globalLocation(this.self, id));
  }

  /** Reads tagged local data, oldest first. */
  async readByTag(tag: string, option: TagOption): Promise<unknown[]> {
    checkTag(tag);
    const { objects } = await this.store.list(`${this.localRoot()}/tags/${tag}/`);
    // Each index entry is named `<time>-<id>`, and ids are 36-character UUIDs.
    const ids = objects.map((object) => object.name.slice(-36));
    const chosen = option === 'first' ? ids.slice(0, 1) : option === 'last' ? ids.slice(-1) : ids;
    return Promise.all(chosen.map((id) => this.readById('local', id)));
  }

  /** The project's tags containing `filter`. */
  async tags(filter: string | undefined): Promise<string[]> {
    try {
      const { prefixes } = await this.store.list(`${this.localRoot()}/tags/`, { delimiter: '/' });
      const names = prefixes.map((prefix) => prefix.split('/').filter(Boolean).pop() as string);
      return names.filter((name) => filter === undefined || name.includes(filter));
    } catch (error) {
      if (error instanceof CloudStorageBucketNotFound) return [];
      throw error;
    }
  }

  private localRoot(): string {
    return `${this.root}/local/${this.projectId}`;
  }

  private globalLocation(recipient: string, id: string): string {
    return `${this.root}/global/${this.analysisId}/${idSegment(recipient)}/${id}`;
  }

  private async write(location: string, data: unknown): Promise<void> {
    if (data instanceof Uint8Array) {
      await this.store.upload(location, Buffer.from(data), { metadata: { encoding: 'bytes' } });
      return;
    }
    const text = JSON.stringify(data);
    if (text === undefined) throw new InvalidInputException('Intermediate data must be JSON or a Buffer.');
    await this.store.upload(location, text, { contentType: 'application/json', metadata: { encoding: 'json' } });
  }

  private async read(location: string): Promise<unknown> {
    const [metadata, contents] = await Promise.all([this.store.getMetadata(location), this.store.read(location)]);
    return metadata.metadata.encoding === 'bytes' ? contents : JSON.parse(contents.toString('utf8'));
  }
}

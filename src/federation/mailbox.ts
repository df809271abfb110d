import { cloudPathBasename } from '../core/gs-path';
import type { ObjectStore, StoredObject } from '../core/ports/object-store';
import { CloudStorageBucketNotFound, ObjectNotFound, PreconditionFailed } from '../errors';
import { idSegment, messageNumberOf } from './ids';
import { mailboxWritten } from './signals';
import type { FederationMessage, MessageMeta, MessageStatus } from './types';

/**
 * One participant's durable mailbox for one analysis, in the object store:
 *
 * ```
 * <mailbox root>/<analysis id>/<enc(own SRUID)>/
 *   context.json                        the federation context, written when this participant joins
 *   in/<enc(message id)>.json           received messages; custom metadata `status` = unread | read
 *   out/<enc(message id)>.json          sent messages
 *   acks/<enc(message id)>/<enc(receiver SRUID)>   acknowledgements of sent messages
 * ```
 *
 * (`enc` is `encodeURIComponent`.) Records are created with create-if-absent, so a duplicate delivery is stored once;
 * `read` is flipped with a metageneration precondition, so one waiter gets each message.
 */
export class Mailbox {
  /** The mailbox directory (also the key of its in-process wake-ups). */
  readonly directory: string;

  /**
   * @param store - The object store.
   * @param root - The mailbox root (no trailing slash).
   * @param analysisId - A checked analysis id.
   * @param owner - The owning participant's SRUID.
   */
  constructor(
    private readonly store: ObjectStore,
    root: string,
    analysisId: string,
    owner: string,
  ) {
    this.directory = `${root}/${analysisId}/${idSegment(owner)}`;
  }

  /** Where this participant's context is kept. */
  get contextLocation(): string {
    return `${this.directory}/context.json`;
  }

  /**
   * Stores a received message unless it is already stored (a duplicate delivery).
   * @param message - The incoming record.
   * @returns Whether this call stored it.
   */
  async storeIncoming(message: FederationMessage): Promise<boolean> {
    const created = await this.store.createIfAbsent(this.incomingLocation(message.meta.id), JSON.stringify(message), {
      contentType: 'application/json',
      metadata: { status: 'unread' },
    });
    if (created) mailboxWritten(this.directory);
    return created;
  }

  /**
   * Stores the record of a sent message.
   * @param message - The outgoing record.
   */
  async storeOutgoing(message: FederationMessage): Promise<void> {
    await this.store.upload(`${this.directory}/out/${idSegment(message.meta.id)}.json`, JSON.stringify(message), {
      contentType: 'application/json',
      metadata: { status: message.meta.status },
    });
  }

  /**
   * Records that `receiver` acknowledged a sent message (once, however often the ack arrives).
   * @param messageId - The message.
   * @param receiver - The receiver that acknowledged.
   * @param arrivedAt - When it arrived there.
   */
  async storeAck(messageId: string, receiver: string, arrivedAt: string): Promise<void> {
    const location = `${this.directory}/acks/${idSegment(messageId)}/${idSegment(receiver)}`;
    await this.store.createIfAbsent(location, JSON.stringify({ arrived_at: arrivedAt }), {
      contentType: 'application/json',
    });
    mailboxWritten(this.directory);
  }

  /**
   * Which receivers have acknowledged a sent message.
   * @param messageId - The message.
   * @returns The receivers' SRUIDs.
   */
  async acknowledgedBy(messageId: string): Promise<Set<string>> {
    const { objects } = await this.listOrEmpty(`${this.directory}/acks/${idSegment(messageId)}/`);
    return new Set(objects.map((object) => decodeURIComponent(cloudPathBasename(object.name))));
  }

  /**
   * Lists the stored messages of one direction with their current status.
   * @param direction - `in` (received) or `out` (sent).
   * @param status - Which to read; `all` reads every one.
   * @returns Each message with the store's handle on it (for marking it read or deleting it).
   */
  async list(direction: 'in' | 'out', status: MessageStatus | 'all'): Promise<StoredMessage[]> {
    const { objects } = await this.listOrEmpty(`${this.directory}/${direction}/`);
    const wanted = objects.filter((object) => status === 'all' || statusOf(object) === status);
    const read = await Promise.all(wanted.map((object) => this.readRecord(object)));
    return read.filter((entry): entry is StoredMessage => entry !== undefined);
  }

  /**
   * The highest message number among this participant's sent messages (0 when none), read from the record names
   * alone, so that a new instance (a restart, another invocation) continues the numbering and never reuses an id.
   * @returns The highest number sent so far.
   */
  async lastOutgoingNumber(): Promise<number> {
    const { objects } = await this.listOrEmpty(`${this.directory}/out/`);
    let highest = 0;
    for (const object of objects) {
      const id = decodeURIComponent(cloudPathBasename(object.name).replace(/\.json$/, ''));
      const number = messageNumberOf(id);
      if (number > highest) highest = number;
    }
    return highest;
  }

  /**
   * Marks a received message read, unless another waiter already did.
   * @param stored - The message as listed.
   * @returns Whether this call marked it (and so owns it).
   */
  async markRead(stored: StoredMessage): Promise<boolean> {
    try {
      await this.store.setCustomMetadata(
        stored.location,
        { status: 'read' },
        {
          ifMetagenerationMatch: Number(stored.metageneration),
        },
      );
      return true;
    } catch (error) {
      if (error instanceof PreconditionFailed || error instanceof ObjectNotFound) return false;
      throw error;
    }
  }

  /**
   * Deletes stored records.
   * @param locations - Their locations.
   */
  async delete(locations: readonly string[]): Promise<void> {
    await Promise.all(locations.map((location) => this.store.delete(location, { ignoreMissing: true })));
  }

  private incomingLocation(messageId: string): string {
    return `${this.directory}/in/${idSegment(messageId)}.json`;
  }

  private async readRecord(object: StoredObject): Promise<StoredMessage | undefined> {
    try {
      const record = JSON.parse((await this.store.read(object.location)).toString('utf8')) as FederationMessage;
      const meta: MessageMeta = Object.assign({}, record.meta, { status: statusOf(object) });
      return {
        location: object.location,
        metageneration: object.metageneration,
        message: { body: record.body, meta },
      };
    } catch (error) {
      // Deleted between listing and reading (by deleteMessages or clearMessages elsewhere).
      if (error instanceof ObjectNotFound) return undefined;
      throw error;
    }
  }

  private async listOrEmpty(prefix: string): Promise<{ objects: readonly StoredObject[] }> {
    try {
      return await this.store.list(prefix);
    } catch (error) {
      // A bucket that holds no mailbox yet lists as empty.
      if (error instanceof CloudStorageBucketNotFound) return { objects: [] };
      throw error;
    }
  }
}

/** A stored message with what marking and deleting it need. */
export interface StoredMessage {
  readonly location: string;
  readonly metageneration: string;
  readonly message: FederationMessage;
}

function statusOf(object: StoredObject): MessageStatus {
  return object.metadata.status === 'read' ? 'read' : 'unread';
}

import type { Readable } from 'node:stream';

import type { ObjectStore } from '../core/ports/object-store';
import type { Dataset, Manifest } from '../core/resources';
import { InvalidInputException } from '../errors';
import type { Logger } from '../service';

/**
 * A node's data sources (FLAME's data API), for now the datasets of its question's input manifest. (FHIR stores are
 * a later increment.)
 * @module
 */

/** One data source as `getDataSources()` lists it. */
export interface DataSource {
  /** The source's id (the dataset's id), for `getDataClient`. */
  readonly id: string;
  readonly kind: 'dataset';
  /** The input-manifest key. */
  readonly key: string;
  /** The dataset's location. */
  readonly path: string;
}

async function buffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

const NO_DATA_WARNING = 'This node has no data sources (its role is proxy): data methods return null.';

/** The data API over an input manifest's datasets. */
export class DataSources {
  /**
   * @param manifest - The question's input manifest, if any.
   * @param store - The object store for cloud files.
   * @param logger - Where FLAME's warning for nodes without data goes.
   */
  constructor(
    private readonly manifest: Manifest | undefined,
    private readonly store: ObjectStore,
    private readonly logger: Logger | undefined,
  ) {}

  /** @returns Whether the node has at least one data source (FLAME's `node_has_data`). */
  hasData(): boolean {
    return this.entries().length > 0;
  }

  /** @returns The sources, or `null` (with FLAME's warning) on a node without data. */
  list(): DataSource[] | null {
    if (!this.hasData()) return this.none();
    return this.entries().map(([key, dataset]) => ({ id: dataset.id, kind: 'dataset', key, path: dataset.path }));
  }

  /**
   * @param id - A source id from {@link DataSources.list}.
   * @returns The source's typed client (the Dataset), or `null` on a node without data.
   * @throws InvalidInputException for an unknown id.
   */
  client(id: string): Dataset | null {
    if (!this.hasData()) return this.none();
    const found = this.entries().find(([, dataset]) => dataset.id === id);
    if (found === undefined) throw new InvalidInputException(`'${id}' is not one of this node's data sources.`);
    return found[1];
  }

  /**
   * Reads the sources' files whole, as FLAME's `get_s3_data`: one `{name: bytes}` per source, keeping the files
   * whose names are in `keys` (`[]` keeps all).
   * @param keys - File names to keep.
   * @returns The files per source, or `null` on a node without data.
   */
  async read(keys: readonly string[] = []): Promise<Record<string, Buffer>[] | null> {
    if (!this.hasData()) return this.none();
    const wanted = new Set(keys);
    return Promise.all(
      this.entries().map(async ([, dataset]) => {
        const files: Record<string, Buffer> = {};
        for (const file of dataset.files) {
          if (wanted.size > 0 && !wanted.has(file.name)) continue;
          // The file's own reader: a local copy, a gs:// object or a signed URL (as questions carry datasets).
          const contents = await buffer(await file.openReadStream({ store: this.store }));
          Object.defineProperty(files, file.name, { value: contents, enumerable: true, writable: true });
        }
        return files;
      }),
    );
  }

  private entries(): [string, Dataset][] {
    return Object.entries(this.manifest?.datasets ?? {});
  }

  private none(): null {
    this.logger?.warning(NO_DATA_WARNING);
    return null;
  }
}

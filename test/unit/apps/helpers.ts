import { mkdtempSync, promises as fs, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { parse } from 'csv-parse/sync';

import { CSV_STATS_ERROR_CLASSES } from '../../../apps/csv-stats';
import type { ColumnSummary } from '../../../apps/shared/statistics';
import { InMemoryBroker } from '../../../src/cloud/memory/in-memory-broker';
import { InMemoryTransport } from '../../../src/cloud/memory/in-memory-transport';
import { LocalObjectStore } from '../../../src/cloud/storage/local-object-store';
import { Datafile, Dataset } from '../../../src/core/resources';
import { Service } from '../../../src/service';
import type { RunnerLike } from '../../../src/service';
import { Child, childFactory } from '../../../src/service/child';
import type { ChildOptions, ChildPorts } from '../../../src/service/child';
import type { ChildFactory } from '../../../src/service';

export const REPOSITORY = resolve(__dirname, '..', '..', '..');
export const EXAMPLES = join(REPOSITORY, 'examples', 'data');
export const SITES = ['harbour', 'north-ridge', 'valley-farm'] as const;
export const NUMERIC_COLUMNS = ['temperature_c', 'relative_humidity_pct', 'wind_speed_m_s', 'pressure_hpa'];
export const TOPIC = 'test.octue.twined.services';
export const CSV_STATS_ID = 'skein/csv-stats:1.0.0';
export const AGGREGATOR_ID = 'skein/aggregator:1.0.0';
export const PARENT_ID = 'skein/parent:1.0.0';

/** The values of each column of some CSV files (read whole, for checking), with the count of empty cells. */
export type NaiveColumns = Map<string, { values: number[]; missing: number }>;

/**
 * Reads a dataset directory's CSV files whole with csv-parse's sync API (each file's `delimiter` tag from `.octue`).
 * @param directory - The dataset directory.
 * @param columns - The columns to collect.
 * @returns Each column's values and empty cells.
 */
export function readNaively(
  directory: string,
  columns: readonly string[],
  into: NaiveColumns = new Map(),
): NaiveColumns {
  const metadata = JSON.parse(readFileSync(join(directory, '.octue'), 'utf8')) as {
    datafiles?: Record<string, { tags?: { delimiter?: string } }>;
  };
  for (const name of readdirSync(directory).filter((file) => file.endsWith('.csv'))) {
    const delimiter = metadata.datafiles?.[name]?.tags?.delimiter ?? ',';
    const records = parse(readFileSync(join(directory, name)), { delimiter, columns: true, trim: true }) as Record<
      string,
      string
    >[];
    for (const column of columns) {
      const entry = into.get(column) ?? { values: [], missing: 0 };
      for (const record of records) {
        const cell = record[column] ?? '';
        if (cell === '') entry.missing += 1;
        else entry.values.push(Number(cell));
      }
      into.set(column, entry);
    }
  }
  return into;
}

/**
 * The statistics of some values by the textbook two-pass method, to check the streaming ones against.
 * @param values - The values.
 * @param missing - The empty cells.
 * @returns The column summary.
 */
export function naiveSummary(values: readonly number[], missing = 0): ColumnSummary {
  const count = values.length;
  if (count === 0) {
    return { count, missing, mean: null, m2: 0, variance: null, sample_variance: null, min: null, max: null };
  }
  const mean = values.reduce((sum, value) => sum + value, 0) / count;
  const m2 = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return {
    count,
    missing,
    mean,
    m2,
    variance: m2 / count,
    sample_variance: count < 2 ? null : m2 / (count - 1),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** Checks two numbers agree to a relative tolerance (absolute near zero). */
export function expectClose(actual: number | null, expected: number | null, relative = 1e-9): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

/** Checks a column summary against the expected one: counts exactly, statistics to a relative tolerance. */
export function expectSummary(actual: ColumnSummary | undefined, expected: ColumnSummary, relative = 1e-9): void {
  expect(actual).toBeDefined();
  const summary = actual as ColumnSummary;
  expect({ count: summary.count, missing: summary.missing }).toEqual({
    count: expected.count,
    missing: expected.missing,
  });
  for (const key of ['mean', 'm2', 'variance', 'sample_variance', 'min', 'max'] as const) {
    expectClose(summary[key], expected[key], relative);
  }
}

/** A temporary directory with a LocalObjectStore in it; `cleanup` deletes both. */
export function temporaryWorkspace(): { root: string; store: LocalObjectStore; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'skein-apps-'));
  return {
    root,
    store: new LocalObjectStore({ root: join(root, 'storage') }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A CSV file to put in a test dataset. */
export interface TestFile {
  readonly name: string;
  readonly text: string;
  /** Its tags; default `{site: 'test-site'}`. */
  readonly tags?: Record<string, unknown>;
}

/**
 * Writes a local dataset directory: the files and their tags in `.octue`.
 * @param directory - Where (created).
 * @param files - The files.
 * @returns The directory.
 */
export async function writeDataset(directory: string, files: readonly TestFile[]): Promise<string> {
  await fs.mkdir(directory, { recursive: true });
  for (const file of files) {
    const path = join(directory, file.name);
    await fs.writeFile(path, file.text);
    await new Datafile({ path, tags: file.tags ?? { site: 'test-site' } }).updateLocalMetadata();
  }
  return directory;
}

/**
 * Uploads an example dataset into a store, with its tags, as `gs://examples/<site>`.
 * @param store - The store.
 * @param site - The example dataset's directory name.
 * @returns Its cloud path.
 */
export async function uploadExample(store: LocalObjectStore, site: string): Promise<string> {
  const dataset = await Dataset.fromLocalDirectory(join(EXAMPLES, site));
  return dataset.upload({ store, cloudPath: `gs://examples/${site}` });
}

/** Deletes the local summary dataset an answer's output manifest points to (a run without an output location). */
export async function removeLocalOutputs(outputManifest: unknown): Promise<void> {
  const datasets = (outputManifest as { datasets?: Record<string, { path?: string } | string> } | undefined)?.datasets;
  for (const dataset of Object.values(datasets ?? {})) {
    const path = typeof dataset === 'string' ? dataset : dataset.path;
    if (path !== undefined && path.startsWith(tmpdir())) await fs.rm(path, { recursive: true, force: true });
  }
}

/** An in-memory service network: real Services answering over an InMemoryTransport, and Children asking them. */
export class AppNetwork {
  readonly broker = new InMemoryBroker({ minBackoffMs: 1, maxBackoffMs: 5 });
  readonly transport = new InMemoryTransport({ topicName: TOPIC, broker: this.broker });
  private readonly stops: AbortController[] = [];
  private readonly serving: Promise<void>[] = [];
  private readonly children: Child[] = [];

  /** Makes the network and its services topic. */
  static async start(): Promise<AppNetwork> {
    const network = new AppNetwork();
    await network.transport.ensureTopic();
    return network;
  }

  /** Serves a Service with the given runner; resolves once it listens. */
  async serve(serviceId: string, runner: RunnerLike): Promise<Service> {
    const service = new Service({ serviceId, transport: this.transport, runner });
    const controller = new AbortController();
    this.stops.push(controller);
    await new Promise<void>((ready, failed) => {
      this.serving.push(
        service.serve({ signal: controller.signal, onReady: () => ready() }).catch((error: unknown) => {
          failed(error);
        }),
      );
    });
    return service;
  }

  /** The child factory a parent's Runner uses on this network (csv-stats' errors re-created by class). */
  childFactory(ports: Partial<ChildPorts> = {}): ChildFactory {
    return childFactory({
      transport: this.transport,
      errorClasses: [...CSV_STATS_ERROR_CLASSES],
      answerSubscriptionLingerMs: 0,
      ...ports,
    });
  }

  /** A Child asking `id` from the parent service. */
  child(id: string, options: Partial<ChildOptions> = {}): Child {
    const child = new Child({
      id,
      transport: this.transport,
      parentSruid: PARENT_ID,
      errorClasses: [...CSV_STATS_ERROR_CLASSES],
      answerSubscriptionLingerMs: 0,
      ...options,
    });
    this.children.push(child);
    return child;
  }

  async close(): Promise<void> {
    await Promise.all(this.children.map((child) => child.close()));
    for (const controller of this.stops) controller.abort();
    await Promise.all(this.serving);
    await this.transport.close();
    this.broker.close();
  }
}

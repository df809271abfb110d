import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

import type { ObjectStore } from '../core/ports/object-store';
import type { Datafile, Manifest } from '../core/resources';
import { DownloadTrackingStore } from './download-tracking-store';
import type { Logger } from './logging';

/**
 * The temporary directories Skein's resources make for a download without a target (`Datafile.download`,
 * `Dataset.download`, `Manifest.download`): `<tmpdir>/skein-<kind>-XXXXXX`. Such a directory belongs to the download,
 * so it is deleted whole with it, as Octue deletes the temporary directories it registers for downloads.
 */
const DOWNLOAD_DIRECTORY = /^skein-(datafile|dataset|manifest)-/;

/** The prefix of the temporary directories {@link LocalFiles.createTemporaryDirectory} makes. */
export const ANALYSIS_TEMPORARY_DIRECTORY_PREFIX = 'skein-analysis-';

function datafilesOf(manifests: readonly (Manifest | undefined)[]): Datafile[] {
  return manifests.flatMap((manifest) =>
    Object.values(manifest?.datasets ?? {}).flatMap((dataset) => dataset.files.toArray()),
  );
}

/**
 * The local files of one analysis, for Octue's `delete_local_files`: the files downloaded during it and the temporary
 * directories made for it, which the Runner deletes once the analysis has finished when `deleteLocalFiles` is on.
 * Downloads are seen two ways: through the object store the analysis uses ({@link trackDownloads}), and by the
 * datafiles of its manifests that gained a local copy while it ran ({@link watchManifests}; input manifests usually
 * arrive as signed URLs, which are downloaded over HTTP rather than through the store). Unlike Octue's process-wide
 * lists, each analysis has its own, so concurrent analyses never delete each other's files.
 */
export class LocalFiles {
  private readonly files = new Set<string>();
  private readonly directories = new Set<string>();
  private readonly withoutLocalCopy = new Set<Datafile>();
  private readonly temporaryRoot: string;

  /** @param options - The directory temporary directories are made in (default the OS's). */
  constructor(options: { temporaryRoot?: string } = {}) {
    this.temporaryRoot = resolve(options.temporaryRoot ?? tmpdir());
  }

  /** Every local path that {@link delete} would delete now, sorted (directories whole). */
  get tracked(): string[] {
    return [...new Set([...this.directories, ...this.files, ...this.newLocalCopies()])].sort();
  }

  /**
   * Wraps an object store so that every file downloaded through it is tracked.
   * @param store - The store, if any.
   * @returns The wrapped store (`undefined` for none).
   */
  trackDownloads(store: ObjectStore | undefined): ObjectStore | undefined {
    return store === undefined ? undefined : new DownloadTrackingStore(store, (path) => this.registerFile(path));
  }

  /**
   * Remembers which datafiles of these manifests have no local copy yet, so that copies made later count as
   * downloads of this analysis (and copies that existed before do not).
   * @param manifests - The analysis's input and configuration manifests.
   */
  watchManifests(manifests: readonly (Manifest | undefined)[]): void {
    for (const datafile of datafilesOf(manifests)) {
      if (datafile.localPath === null) this.withoutLocalCopy.add(datafile);
    }
  }

  /**
   * Tracks a file to delete (a download).
   * @param path - The file's path.
   */
  registerFile(path: string): void {
    this.files.add(resolve(path));
  }

  /**
   * Makes a new temporary directory and tracks it, to be deleted whole (Octue's `RegisteredTemporaryDirectory`).
   * @returns Its absolute path.
   */
  async createTemporaryDirectory(): Promise<string> {
    const directory = await mkdtemp(join(this.temporaryRoot, ANALYSIS_TEMPORARY_DIRECTORY_PREFIX));
    this.directories.add(directory);
    return directory;
  }

  /**
   * Deletes the tracked directories whole, then the tracked files, each with the download directory Skein made for
   * it if there is one. Missing paths are skipped; a path that cannot be deleted is logged and the rest go on.
   * @param logger - Where deletions are logged.
   */
  async delete(logger: Logger): Promise<void> {
    const directories = [...this.directories];
    const files = [...new Set([...this.files, ...this.newLocalCopies()])];
    if (directories.length > 0) {
      logger.warning('Deleting the %d temporary directories created during the analysis.', directories.length);
    }
    if (files.length > 0) logger.warning('Deleting the %d files downloaded during the analysis.', files.length);
    const targets = [...directories, ...files.map((file) => this.downloadDirectoryOf(file) ?? file)];
    for (const target of new Set(targets)) {
      logger.debug('Deleting %s.', target);
      try {
        await rm(target, { recursive: true, force: true });
      } catch (error) {
        logger.exception(`The local path ${target} could not be deleted.`, error);
      }
    }
    this.directories.clear();
    this.files.clear();
    this.withoutLocalCopy.clear();
  }

  private newLocalCopies(): string[] {
    return [...this.withoutLocalCopy].flatMap((datafile) => (datafile.localPath === null ? [] : [datafile.localPath]));
  }

  // The `skein-<kind>-XXXXXX` directory directly in the temporary root that holds `file`, if any.
  private downloadDirectoryOf(file: string): string | undefined {
    const inRoot = relative(this.temporaryRoot, file);
    if (isAbsolute(inRoot) || inRoot.startsWith('..') || !inRoot.includes(sep)) return undefined;
    const top = inRoot.split(sep)[0] as string;
    return DOWNLOAD_DIRECTORY.test(top) ? join(this.temporaryRoot, top) : undefined;
  }
}

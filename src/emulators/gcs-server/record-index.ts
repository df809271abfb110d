import type { BucketRecord, ObjectRecord } from './types';

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The in-memory index of bucket and object records both backends keep: the memory backend as its only store, the
 * directory backend as a cache of its JSON sidecars (loaded once at start), so listing never re-reads the disk.
 */
export class RecordIndex {
  private readonly buckets = new Map<string, BucketRecord>();
  private readonly objects = new Map<string, Map<string, ObjectRecord>>();

  /** The bucket, or undefined. */
  getBucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name);
  }

  /** Every bucket, sorted by name. */
  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()].sort(byName);
  }

  /** Adds or replaces a bucket. */
  putBucket(record: BucketRecord): void {
    this.buckets.set(record.name, record);
    if (!this.objects.has(record.name)) this.objects.set(record.name, new Map());
  }

  /** Removes a bucket and its (already empty) object map. */
  deleteBucket(name: string): void {
    this.buckets.delete(name);
    this.objects.delete(name);
  }

  /** The object record, or undefined. */
  getObject(bucket: string, name: string): ObjectRecord | undefined {
    return this.objects.get(bucket)?.get(name);
  }

  /** Every object record in the bucket, sorted by name (UTF-16 code units, which matches byte order for BMP names). */
  listObjects(bucket: string): ObjectRecord[] {
    return [...(this.objects.get(bucket)?.values() ?? [])].sort(byName);
  }

  /** Adds or replaces an object record. */
  putObject(record: ObjectRecord): void {
    let names = this.objects.get(record.bucket);
    if (!names) {
      names = new Map();
      this.objects.set(record.bucket, names);
    }
    names.set(record.name, record);
  }

  /** Removes an object record. */
  deleteObject(bucket: string, name: string): void {
    this.objects.get(bucket)?.delete(name);
  }

  /** The highest generation of any object, so a restarted server keeps generations increasing. */
  maxGeneration(): number {
    let max = 0;
    for (const names of this.objects.values()) for (const r of names.values()) max = Math.max(max, r.generation);
    return max;
  }
}

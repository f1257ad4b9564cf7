/**
 * A write-ahead log with one entry per batch id, the building block of the offset and
 * commit logs.
 *
 * Contract:
 * - `add(batchId, entry)` is atomic: after a crash the entry is either fully there or
 *   absent. It never overwrites: if `batchId` already has an entry it returns false and
 *   leaves the existing entry alone (two runs of one query racing on a checkpoint, or a
 *   re-run of a logged batch, must not replace history). Returns true when written.
 * - `get(batchId)` returns the entry or undefined when there is none.
 * - `getLatest()` returns the entry with the highest batch id, or undefined for an empty log.
 * - `list()` returns the batch ids present, ascending.
 * - `purge(thresholdBatchId)` deletes every entry with a batch id below the threshold.
 * - Reading an entry that is truncated, unparsable or of an unknown version throws
 *   CHECKPOINT_CORRUPT naming the file and what the user can do.
 */
export interface MetadataLog<T> {
  /** Atomically writes the entry of `batchId`; false when one exists already. */
  add(batchId: number, entry: T): Promise<boolean>;
  /** The entry of `batchId`, or undefined. */
  get(batchId: number): Promise<T | undefined>;
  /** The entry with the highest batch id, or undefined when the log is empty. */
  getLatest(): Promise<LogEntry<T> | undefined>;
  /** Batch ids present, ascending. */
  list(): Promise<number[]>;
  /** Deletes entries with batch id < `thresholdBatchId`. */
  purge(thresholdBatchId: number): Promise<void>;
}

/** An entry together with its batch id. */
export interface LogEntry<T> {
  readonly batchId: number;
  readonly entry: T;
}

/**
 * Converts a log's entries to and from the JSON body stored after the version line.
 * `fromJson` receives the parsed JSON and returns the entry, or a string saying what is
 * wrong with it (the log turns that into CHECKPOINT_CORRUPT naming the file).
 */
export interface LogSerializer<T> {
  /** Entry to a JSON-compatible value. */
  toJson(entry: T): unknown;
  /** Parsed JSON back to an entry, or a description of the problem. */
  fromJson(json: unknown): T | string;
}

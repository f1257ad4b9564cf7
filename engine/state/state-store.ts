import type { ColumnarBatch } from '../../common/column-vector.js';

/** Identifies one state store: a stateful operator's partition, optionally one of several named stores. */
export interface StateStoreId {
  readonly operatorId: number;
  readonly partitionId: number;
  readonly storeName?: string;
}

/** Result of {@link StateStore.getBatch}: a value row per key row, with a mask of the keys found. */
export interface StateLookup {
  /** One row per key row, in the value schema; rows of keys not found are all-null. */
  readonly values: ColumnarBatch;
  /** 1 where the key was found, 0 where not. */
  readonly found: Uint8Array;
}

/** One chunk of {@link StateStore.iterate}: equally long key and value batches. */
export interface StateChunk {
  readonly keys: ColumnarBatch;
  readonly values: ColumnarBatch;
}

/** Counters of one store version, reported in query progress. */
export interface StateStoreMetrics {
  /** Keys visible in the store (committed plus this version's changes). */
  readonly numKeys: number;
  /** Bytes of memory held by the loaded version and the changes. */
  readonly memoryUsedBytes: number;
  /** Time the last commit took (ms); 0 before one. */
  readonly commitTimeMs: number;
  /** Key rows put in this version. */
  readonly numKeysUpdated: number;
  /** Existing keys removed in this version. */
  readonly numKeysRemoved: number;
}

/**
 * The keyed state of one stateful operator partition, at one version.
 *
 * Contract:
 * - A store is opened at version V by its provider and sees exactly the data committed
 *   at V (version 0 is empty; batch N reads version N and writes N+1).
 * - Keys and values are rows of the store's key and value schemas, passed as batches:
 *   `putBatch` sets values (a later row wins over an earlier one with the same key),
 *   `removeBatch` removes keys (absent keys are ignored), `getBatch` looks keys up,
 *   `iterate` yields every visible key with its value. Changes are visible to the same
 *   store at once. Do not change the store while iterating.
 * - `commit()` makes the changes durable as version V+1 and returns V+1; `abort()`
 *   discards them. Either ends the store: any further call throws.
 * - Keys compare by value: nulls equal nulls, -0 equals 0, NaN equals NaN.
 */
export interface StateStore {
  /** Which store this is. */
  readonly id: StateStoreId;
  /** The version this store was loaded at. */
  readonly version: number;
  /** Looks up each key row. */
  getBatch(keys: ColumnarBatch): StateLookup;
  /** Sets the value of each key row to the value row at the same position. */
  putBatch(keys: ColumnarBatch, values: ColumnarBatch): void;
  /** Removes each key row. */
  removeBatch(keys: ColumnarBatch): void;
  /** Every visible key and value, in chunks of at most `chunkRows` rows. */
  iterate(chunkRows?: number): Iterable<StateChunk>;
  /** Number of visible keys. */
  readonly numKeys: number;
  /** Makes the changes durable as version `version + 1` and returns it. */
  commit(): Promise<number>;
  /** Discards the changes. */
  abort(): void;
  /** Counters of this version. */
  metrics(): StateStoreMetrics;
}

import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { typeName } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import { FixedKeyStore } from './fixed-key-store.js';
import { NullKeyStore } from './null-key-store.js';
import { Utf8KeyStore } from './utf8-key-store.js';

/** One input key column bound to a {@link KeyStore} for the rows of one batch. */
export interface BoundKeyColumn {
  /** True when row `row` of the input equals stored group `g` (null equals null). */
  equals(g: number, row: number): boolean;
  /** Stores row `row` of the input as group `g`, which must be the next group id. */
  append(g: number, row: number): void;
}

/**
 * The distinct values of one key column, indexed by group id, in growable typed arrays
 * (strings in a byte arena). Contract: `reserve` before appending past the capacity; the
 * vectors `toVector` returns are copies, unaffected by later appends.
 */
export interface KeyStore {
  readonly type: DataType;
  /** Grows the storage to hold at least `capacity` groups. */
  reserve(capacity: number): void;
  /** Marks group `g` (the next group id) as the null key. */
  appendNull(g: number): void;
  /** Comparer and appender over the rows of input vector `v`. */
  bind(v: ColumnVector): BoundKeyColumn;
  /** Groups `[0, size)` as a vector. */
  toVector(size: number): ColumnVector;
  /** Approximate bytes held. */
  memoryBytes(): number;
}

/** Creates the store for a key type; throws UNSUPPORTED for types that cannot be grouped by. */
export function keyStoreFor(type: DataType, capacity: number): KeyStore {
  switch (type.kind) {
    case 'null':
      return new NullKeyStore(type);
    case 'utf8':
      return new Utf8KeyStore(type, capacity);
    case 'list':
    case 'map':
      throw new SluiceError(
        'UNSUPPORTED',
        `Cannot group, join or deduplicate by a column of type ${typeName(type)}. Group by its elements instead (explode it first) or by a string built from it.`,
      );
    default:
      return new FixedKeyStore(type, capacity);
  }
}

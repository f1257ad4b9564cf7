import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { GroupTableCore } from './group-table-core.js';
import { keyStoreFor } from './key-store.js';
import { probeOneWordKey, probeTwoWordKey } from './probe-fixed-key.js';
import { EncodedKeyArena, probeGeneralKeys } from './probe-general-keys.js';
import { probeUtf8Key } from './probe-utf8-key.js';

const INITIAL_CAPACITY = 256;

type ProbeMode = 'oneWord' | 'twoWord' | 'utf8' | 'general';

function probeModeOf(keyTypes: readonly DataType[]): ProbeMode {
  if (keyTypes.length !== 1) return 'general';
  switch ((keyTypes[0] as DataType).kind) {
    case 'int32':
    case 'date':
    case 'boolean':
      return 'oneWord';
    case 'int64':
    case 'timestamp':
    case 'float64':
      return 'twoWord';
    case 'utf8':
      return 'utf8';
    default:
      return 'general';
  }
}

/**
 * Assigns dense group ids to distinct key tuples: the hash table behind hash aggregation,
 * deduplication and hash joins. Open addressing with linear probing over typed arrays,
 * doubling as it grows; keys are stored column-wise in typed arrays (strings in a byte
 * arena), never as JS strings or per-row objects. Single int32/date/boolean,
 * int64/timestamp/float64 and utf8 keys take specialised loops; anything else the general
 * multi-column path.
 *
 * Contract: ids are `0 .. size-1` in first-seen order; null equals null (a null key is a
 * group of its own); float keys compare by value with -0 = 0 and NaN = NaN; a
 * dictionary-encoded utf8 column matches the same strings stored plainly. List keys are
 * rejected at construction with UNSUPPORTED.
 */
export class GroupTable {
  private readonly core: GroupTableCore;
  private readonly mode: ProbeMode;
  private readonly arena: EncodedKeyArena | null;
  private lastDictionary: ColumnVector | null = null;
  private lastDictGroups: Int32Array | null = null;

  constructor(keyTypes: readonly DataType[]) {
    this.mode = probeModeOf(keyTypes);
    this.core = new GroupTableCore(
      keyTypes.map((t) => keyStoreFor(t, INITIAL_CAPACITY)),
      INITIAL_CAPACITY,
      this.mode === 'utf8' || this.mode === 'general' ? 8 : 4,
    );
    this.arena = this.mode === 'general' ? new EncodedKeyArena() : null;
  }

  /** Group id for each row; unseen keys get the next ids in first-seen order. Nulls form their own group. */
  insert(keys: readonly ColumnVector[], numRows: number): Int32Array {
    return this.probe(keys, numRows, true);
  }

  /** Group id for each row, or -1 when the key was never inserted. */
  lookup(keys: readonly ColumnVector[], numRows: number): Int32Array {
    return this.probe(keys, numRows, false);
  }

  /** Number of distinct keys inserted so far. */
  get size(): number {
    return this.core.size;
  }

  /** The distinct keys, row g = group id g (copies: later inserts do not change them). */
  keyVectors(): ColumnVector[] {
    return this.core.stores.map((s) => s.toVector(this.core.size));
  }

  /** Approximate bytes held. */
  memoryBytes(): number {
    return this.core.memoryBytes() + (this.arena?.memoryBytes() ?? 0) + (this.lastDictGroups?.byteLength ?? 0);
  }

  private probe(keys: readonly ColumnVector[], numRows: number, insert: boolean): Int32Array {
    const out = new Int32Array(numRows);
    const key = keys[0] as ColumnVector;
    switch (this.mode) {
      case 'oneWord':
        probeOneWordKey(this.core, key, numRows, out, insert);
        break;
      case 'twoWord':
        probeTwoWordKey(this.core, key, numRows, out, insert);
        break;
      case 'utf8':
        probeUtf8Key(this.core, key, numRows, out, insert, insert ? this.dictionaryCache(key) : null);
        break;
      default:
        probeGeneralKeys(this.core, this.arena as EncodedKeyArena, keys, numRows, out, insert);
    }
    return out;
  }

  /** Entry -> group ids for a dictionary seen again in a later batch (streams often share one). */
  private dictionaryCache(key: ColumnVector): Int32Array | null {
    const dict = key.dictionary;
    if (!dict) return null;
    if (dict !== this.lastDictionary) {
      this.lastDictionary = dict;
      this.lastDictGroups = new Int32Array(dict.length).fill(-2);
    }
    return this.lastDictGroups;
  }
}

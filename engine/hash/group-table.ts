import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import { gatherVector } from '../../common/vector-gather.js';
import { FixedKeyStore } from './fixed-key-store.js';
import { GroupTableCore } from './group-table-core.js';
import { keyStoreFor } from './key-store.js';
import { hashExistingPairs, MAX_COMPOSITE_KEYS, PairGrid, probeCompositeKeys, probePairGrid } from './probe-composite-keys.js';
import { probeOneWordKey, probeTwoWordKey } from './probe-fixed-key.js';
import { EncodedKeyArena, probeGeneralKeys } from './probe-general-keys.js';
import { probeUtf8Key } from './probe-utf8-key.js';

const INITIAL_CAPACITY = 256;

type ProbeMode = 'oneWord' | 'twoWord' | 'utf8' | 'composite' | 'general';

function singleKeyMode(type: DataType): ProbeMode {
  switch (type.kind) {
    case 'int32':
    case 'date':
    case 'boolean':
      return 'oneWord';
    case 'int64':
    case 'decimal':
    case 'timestamp':
    case 'float64':
      return 'twoWord';
    case 'utf8':
      return 'utf8';
    default:
      return 'general';
  }
}

function probeModeOf(keyTypes: readonly DataType[]): ProbeMode {
  if (keyTypes.length === 1) return singleKeyMode(keyTypes[0] as DataType);
  if (keyTypes.length <= MAX_COMPOSITE_KEYS && keyTypes.every((t) => singleKeyMode(t) !== 'general')) return 'composite';
  return 'general';
}

/**
 * Assigns dense group ids to distinct key tuples: the hash table behind hash aggregation,
 * deduplication and hash joins. Open addressing with linear probing over typed arrays,
 * doubling as it grows; keys are stored column-wise in typed arrays (strings in a byte
 * arena), never as JS strings or per-row objects. Single int32/date/boolean,
 * int64/timestamp/float64 and utf8 keys take specialised loops. Two to six such keys take
 * the composite path: one single-key table per column maps values to dense column ids,
 * then the id tuple is probed like a fixed-width key (a group's key values are gathered
 * from the column tables at the end). Anything else takes the general path, which encodes
 * whole key rows into words.
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
  /** Composite mode: one single-key table per column, and reused per-column id buffers. */
  private readonly parts: readonly GroupTable[];
  private partIds: Int32Array[] = [];
  /** Two-key composite mode: the direct-mapped grid while the id ranges stay small, then null (hashing). */
  private grid: PairGrid | null;

  constructor(keyTypes: readonly DataType[]) {
    this.mode = probeModeOf(keyTypes);
    const composite = this.mode === 'composite';
    this.parts = composite ? keyTypes.map((t) => new GroupTable([t])) : [];
    this.grid = composite && keyTypes.length === 2 ? new PairGrid() : null;
    this.core = new GroupTableCore(
      keyTypes.map((t) => (composite ? new FixedKeyStore(types.int32, INITIAL_CAPACITY) : keyStoreFor(t, INITIAL_CAPACITY))),
      INITIAL_CAPACITY,
      this.mode === 'utf8' || this.mode === 'general' || (composite && keyTypes.length > 2) ? 8 : 4,
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
    const size = this.core.size;
    if (this.mode !== 'composite') return this.core.stores.map((s) => s.toVector(size));
    return this.parts.map((part, c) => {
      const ids = (this.core.stores[c] as FixedKeyStore).words;
      return gatherVector(part.keyVectors()[0] as ColumnVector, ids, size);
    });
  }

  /** Approximate bytes held. */
  memoryBytes(): number {
    let n = this.core.memoryBytes() + (this.arena?.memoryBytes() ?? 0) + (this.lastDictGroups?.byteLength ?? 0) + (this.grid?.memoryBytes() ?? 0);
    for (const p of this.parts) n += p.memoryBytes();
    for (const ids of this.partIds) n += ids.byteLength;
    return n;
  }

  private probe(keys: readonly ColumnVector[], numRows: number, insert: boolean): Int32Array {
    const out = new Int32Array(numRows);
    this.probeInto(keys, numRows, out, insert);
    return out;
  }

  private probeInto(keys: readonly ColumnVector[], numRows: number, out: Int32Array, insert: boolean): void {
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
      case 'composite':
        this.probeComposite(this.columnIds(keys, numRows, insert), numRows, out, insert);
        break;
      default:
        probeGeneralKeys(this.core, this.arena as EncodedKeyArena, keys, numRows, out, insert);
    }
  }

  private probeComposite(ids: Int32Array[], numRows: number, out: Int32Array, insert: boolean): void {
    const grid = this.grid;
    if (grid !== null) {
      const stores = this.core.stores as readonly FixedKeyStore[];
      const [p0, p1] = this.parts as [GroupTable, GroupTable];
      if (grid.fit(p0.size, p1.size, (stores[0] as FixedKeyStore).words, (stores[1] as FixedKeyStore).words, this.core.size)) {
        probePairGrid(this.core, grid, ids[0] as Int32Array, ids[1] as Int32Array, numRows, out, insert);
        return;
      }
      this.grid = null;
      hashExistingPairs(this.core);
    }
    probeCompositeKeys(this.core, ids, numRows, out, insert);
  }

  /** Composite mode: each key column's per-row ids from its own table (-1 when absent and not inserting). */
  private columnIds(keys: readonly ColumnVector[], numRows: number, insert: boolean): Int32Array[] {
    if ((this.partIds[0]?.length ?? -1) < numRows) this.partIds = this.parts.map(() => new Int32Array(numRows));
    this.parts.forEach((part, c) => {
      part.probeInto([keys[c] as ColumnVector], numRows, this.partIds[c] as Int32Array, insert);
    });
    return this.partIds;
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

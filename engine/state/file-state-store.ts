import type { ColumnarBatch } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import { internalError } from '../../common/errors.js';
import { ByteArena } from './byte-arena.js';
import { hashKeyBytes } from './key-hash.js';
import { KeyValueMap, REMOVED } from './key-value-map.js';
import type { RowCodec } from './row-codec.js';
import type { StateChunk, StateLookup, StateStore, StateStoreId, StateStoreMetrics } from './state-store.js';

/** What a {@link FileStateStore} needs from the provider that opened it. */
export interface StateStoreHost {
  /** Durably records `changes` on top of `base` (version `fromVersion`) as version `fromVersion + 1`. */
  commitChanges(fromVersion: number, base: KeyValueMap, changes: KeyValueMap): Promise<void>;
  /** Called once when the store is committed or aborted. */
  storeClosed(): void;
}

const DEFAULT_CHUNK_ROWS = 4096;

/**
 * A {@link StateStore} over an in-memory committed version (`base`, shared with the
 * provider and never changed by the store) plus a map of this version's changes, where a
 * removal is a {@link REMOVED} entry. Reads look at the changes first. Commit hands the
 * changes to the provider, which writes them as the delta file and folds them into base.
 */
export class FileStateStore implements StateStore {
  private readonly changes = new KeyValueMap();
  private state: 'open' | 'committed' | 'aborted' = 'open';
  private visibleKeys: number;
  private updated = 0;
  private removed = 0;
  private commitMs = 0;

  constructor(
    readonly id: StateStoreId,
    readonly version: number,
    private readonly base: KeyValueMap,
    private readonly keyCodec: RowCodec,
    private readonly valueCodec: RowCodec,
    private readonly host: StateStoreHost,
  ) {
    this.visibleKeys = base.size;
  }

  get numKeys(): number {
    return this.visibleKeys;
  }

  getBatch(keys: ColumnarBatch): StateLookup {
    this.checkOpen();
    this.keyCodec.check(keys.columns, 'keys');
    const n = keys.numRows;
    const enc = this.keyCodec.encode(keys.columns, n, true);
    const kb = enc.bytes;
    const ko = enc.offsets;
    const found = new Uint8Array(n);
    const starts = new Int32Array(n).fill(-1);
    const gathered = new ByteArena(n * this.valueCodec.fixedSize + 16);
    const changes = this.changes;
    const base = this.base;
    const useChanges = changes.size > 0;
    for (let i = 0; i < n; i++) {
      const s = ko[i] as number;
      const e = ko[i + 1] as number;
      const h = hashKeyBytes(kb, s, e);
      let map = base;
      let idx = useChanges ? changes.find(kb, s, e, h) : -1;
      if (idx >= 0) map = changes;
      else idx = base.find(kb, s, e, h);
      if (idx < 0) continue;
      const vl = map.valLen[idx] as number;
      if (vl === REMOVED) continue;
      const vo = map.valOff[idx] as number;
      starts[i] = gathered.append(map.values.bytes, vo, vo + vl);
      found[i] = 1;
    }
    const columns = this.valueCodec.decode(gathered.bytes, starts, n);
    return { values: makeBatch(this.valueCodec.schema, columns, n), found };
  }

  putBatch(keys: ColumnarBatch, values: ColumnarBatch): void {
    this.checkOpen();
    this.keyCodec.check(keys.columns, 'keys');
    this.valueCodec.check(values.columns, 'values');
    const n = keys.numRows;
    if (values.numRows !== n) throw internalError(`putBatch got ${n} key rows and ${values.numRows} value rows; they must be equally many.`);
    const k = this.keyCodec.encode(keys.columns, n, true);
    const v = this.valueCodec.encode(values.columns, n, false);
    const changes = this.changes;
    for (let i = 0; i < n; i++) {
      const s = k.offsets[i] as number;
      const e = k.offsets[i + 1] as number;
      const h = hashKeyBytes(k.bytes, s, e);
      const c = changes.find(k.bytes, s, e, h);
      const wasVisible = c >= 0 ? changes.valLen[c] !== REMOVED : this.base.find(k.bytes, s, e, h) >= 0;
      changes.set(k.bytes, s, e, h, v.bytes, v.offsets[i] as number, v.offsets[i + 1] as number);
      if (!wasVisible) this.visibleKeys++;
    }
    this.updated += n;
  }

  removeBatch(keys: ColumnarBatch): void {
    this.checkOpen();
    this.keyCodec.check(keys.columns, 'keys');
    const n = keys.numRows;
    const k = this.keyCodec.encode(keys.columns, n, true);
    const kb = k.bytes;
    const changes = this.changes;
    for (let i = 0; i < n; i++) {
      const s = k.offsets[i] as number;
      const e = k.offsets[i + 1] as number;
      const h = hashKeyBytes(kb, s, e);
      const c = changes.find(kb, s, e, h);
      if (c >= 0 && changes.valLen[c] === REMOVED) continue;
      const inBase = this.base.find(kb, s, e, h) >= 0;
      if (c < 0 && !inBase) continue;
      // A key only this version added disappears without a trace in the delta file.
      if (inBase) changes.setRemoved(kb, s, e, h);
      else changes.delete(kb, s, e, h);
      this.visibleKeys--;
      this.removed++;
    }
  }

  *iterate(chunkRows = DEFAULT_CHUNK_ROWS): Iterable<StateChunk> {
    this.checkOpen();
    const changes = this.changes;
    const overridden = changes.size > 0;
    const base = this.base;
    const pick = new Int32Array(chunkRows);
    let n = 0;
    for (let e = 0; e < base.entryCount; e++) {
      const kl = base.keyLen[e] as number;
      if (kl < 0) continue;
      const ko = base.keyOff[e] as number;
      if (overridden && changes.find(base.keys.bytes, ko, ko + kl, base.hashes[e] as number) >= 0) continue;
      pick[n++] = e;
      if (n === chunkRows) {
        yield this.chunk(base, pick, n);
        n = 0;
      }
    }
    if (n > 0) yield this.chunk(base, pick, n);
    n = 0;
    for (let e = 0; e < changes.entryCount; e++) {
      if ((changes.keyLen[e] as number) < 0 || changes.valLen[e] === REMOVED) continue;
      pick[n++] = e;
      if (n === chunkRows) {
        yield this.chunk(changes, pick, n);
        n = 0;
      }
    }
    if (n > 0) yield this.chunk(changes, pick, n);
  }

  async commit(): Promise<number> {
    this.checkOpen();
    const started = performance.now();
    await this.host.commitChanges(this.version, this.base, this.changes);
    this.commitMs = performance.now() - started;
    this.close('committed');
    return this.version + 1;
  }

  abort(): void {
    if (this.state !== 'open') return;
    this.changes.clear();
    this.close('aborted');
  }

  metrics(): StateStoreMetrics {
    return {
      numKeys: this.visibleKeys,
      memoryUsedBytes: this.base.memoryBytes + this.changes.memoryBytes,
      commitTimeMs: this.commitMs,
      numKeysUpdated: this.updated,
      numKeysRemoved: this.removed,
    };
  }

  private chunk(map: KeyValueMap, pick: Int32Array, n: number): StateChunk {
    const keyStarts = new Int32Array(n);
    const valStarts = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const e = pick[r] as number;
      keyStarts[r] = map.keyOff[e] as number;
      valStarts[r] = map.valOff[e] as number;
    }
    return {
      keys: makeBatch(this.keyCodec.schema, this.keyCodec.decode(map.keys.bytes, keyStarts, n), n),
      values: makeBatch(this.valueCodec.schema, this.valueCodec.decode(map.values.bytes, valStarts, n), n),
    };
  }

  private checkOpen(): void {
    if (this.state !== 'open') {
      throw internalError(`State store ${describeId(this.id)} at version ${this.version} is already ${this.state}; open a new store from the provider.`);
    }
  }

  private close(state: 'committed' | 'aborted'): void {
    this.state = state;
    this.host.storeClosed();
  }
}

/** `operator 1, partition 3 (name)` for messages. */
export function describeId(id: StateStoreId): string {
  return `operator ${id.operatorId}, partition ${id.partitionId}${id.storeName === undefined ? '' : ` (${id.storeName})`}`;
}

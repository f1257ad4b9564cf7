import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyValueMap } from '../state/key-value-map.js';
import { applyStateFile } from '../state/state-file-format.js';

/** One stateful operator of a checkpoint (`state/<operatorId>/`), summed over its partitions. */
export interface StateOperatorReport {
  readonly operatorId: number;
  /** Store name under each partition (stream-stream joins and transformWithState keep several), or null for the default store. */
  readonly storeName: string | null;
  readonly partitions: number;
  /** The state version read (committed batch id + 1, or the newest on disk when older). */
  readonly version: number;
  /** Live keys at that version. */
  readonly rows: number;
  /** Bytes of every delta and snapshot file on disk. */
  readonly bytesOnDisk: number;
  /** Bytes the loaded version takes in memory (keys, values and the hash table). */
  readonly memoryBytes: number;
}

const FILE_NAME = /^(\d+)\.(delta|snapshot)$/;

async function listDir(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/** Loads one store folder at the newest version <= `version`; null when it holds no state files. */
async function loadStore(dir: string, version: number): Promise<{ rows: number; bytes: number; memory: number; version: number } | null> {
  const deltas = new Set<number>();
  const snapshots = new Set<number>();
  let bytes = 0;
  for (const name of await listDir(dir)) {
    const m = FILE_NAME.exec(name);
    if (m === null) continue;
    (m[2] === 'delta' ? deltas : snapshots).add(Number(m[1]));
    bytes += (await stat(join(dir, name))).size;
  }
  if (deltas.size === 0 && snapshots.size === 0) return null;
  const target = Math.min(version, Math.max(...deltas, ...snapshots));
  let base = 0;
  for (const s of snapshots) if (s <= target && s > base) base = s;
  const map = new KeyValueMap();
  const apply = async (path: string, kind: 'delta' | 'snapshot'): Promise<void> => {
    const data = new Uint8Array(await readFile(path));
    // The schema fingerprint is checked by queries; an inspection reads whatever the file holds.
    const fingerprint = data.length >= 12 ? new DataView(data.buffer, data.byteOffset).getUint32(8, true) : 0;
    applyStateFile(path, data, kind, fingerprint, map);
  };
  if (base > 0) await apply(join(dir, `${base}.snapshot`), 'snapshot');
  for (let v = base + 1; v <= target; v++) if (deltas.has(v)) await apply(join(dir, `${v}.delta`), 'delta');
  return { rows: map.size, bytes, memory: map.memoryBytes, version: target };
}

/**
 * Every state operator under `stateDir` with its row count and sizes at `version` (the
 * version after the newest committed batch), reading the newest snapshot and the deltas
 * after it as a restarted query would. Operators are listed by id, then store name.
 */
export async function stateOperatorsOf(stateDir: string, version: number): Promise<StateOperatorReport[]> {
  const out: StateOperatorReport[] = [];
  const numeric = (names: string[]): number[] =>
    names
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
  for (const op of numeric(await listDir(stateDir))) {
    const byStore = new Map<string | null, { partitions: number; rows: number; bytes: number; memory: number; version: number }>();
    for (const part of numeric(await listDir(join(stateDir, String(op))))) {
      const partDir = join(stateDir, String(op), String(part));
      const stores: (string | null)[] = [null];
      for (const name of await listDir(partDir)) if (!FILE_NAME.test(name) && (await stat(join(partDir, name))).isDirectory()) stores.push(name);
      for (const store of stores) {
        const loaded = await loadStore(store === null ? partDir : join(partDir, store), version);
        if (loaded === null) continue;
        const agg = byStore.get(store) ?? { partitions: 0, rows: 0, bytes: 0, memory: 0, version: 0 };
        agg.partitions++;
        agg.rows += loaded.rows;
        agg.bytes += loaded.bytes;
        agg.memory += loaded.memory;
        agg.version = Math.max(agg.version, loaded.version);
        byStore.set(store, agg);
      }
    }
    const keys = [...byStore.keys()].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
    for (const store of keys) {
      const a = byStore.get(store) as NonNullable<ReturnType<typeof byStore.get>>;
      out.push({ operatorId: op, storeName: store, partitions: a.partitions, version: a.version, rows: a.rows, bytesOnDisk: a.bytes, memoryBytes: a.memory });
    }
  }
  return out;
}

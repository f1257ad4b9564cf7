import { join } from 'node:path';
import { internalError, invalidArgument } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import { checkpointCorrupt } from '../../common/log/checkpoint-errors.js';
import type { FileManager } from '../../common/log/file-manager.js';
import type { StateStoreHost } from './file-state-store.js';
import { describeId, FileStateStore } from './file-state-store.js';
import { KeyValueMap, REMOVED } from './key-value-map.js';
import { RowCodec } from './row-codec.js';
import type { StateFileKind } from './state-file-format.js';
import { applyStateFile, encodeStateFile } from './state-file-format.js';
import type { StateStore, StateStoreId } from './state-store.js';
import type { StateStoreProvider } from './state-store-provider.js';

/** Options of {@link FileStateStoreProvider}. */
export interface FileStateStoreProviderOptions {
  readonly fileManager: FileManager;
  /** The store's directory, e.g. `state/<operatorId>/<partitionId>` of the checkpoint. */
  readonly dir: string;
  readonly id: StateStoreId;
  readonly keySchema: Schema;
  readonly valueSchema: Schema;
  /** Write a snapshot once this many versions passed since the last one (default 10). */
  readonly snapshotInterval?: number;
  /** Keep the files needed to load each of the newest this-many versions (default 100). */
  readonly minVersionsToRetain?: number;
  /** Receives errors of background snapshots and purges, which do not fail commits. */
  readonly onBackgroundError?: (error: unknown) => void;
}

interface StateFiles {
  readonly deltas: Set<number>;
  readonly snapshots: Set<number>;
}

const FILE_NAME = /^(0|[1-9][0-9]*)\.(delta|snapshot)$/;

/**
 * {@link StateStoreProvider} keeping one store's versions as files in a directory, in the
 * manner of Spark's HDFS-backed provider: every commit writes `<v>.delta` holding only the
 * keys changed or removed in version v; every `snapshotInterval` versions a background
 * task writes `<v>.snapshot` with all keys; version v loads from the newest snapshot <= v
 * plus the deltas after it. The newest committed version stays in memory, so the next
 * batch opens it without reading files. Files no longer needed to load the newest
 * `minVersionsToRetain` versions are deleted in the background.
 */
export class FileStateStoreProvider implements StateStoreProvider, StateStoreHost {
  private readonly keyCodec: RowCodec;
  private readonly valueCodec: RowCodec;
  private readonly fingerprint: number;
  private readonly snapshotInterval: number;
  private readonly minVersionsToRetain: number;
  private loaded: { version: number; map: KeyValueMap } | undefined;
  private files: StateFiles | undefined;
  private storeOpen = false;
  private maintenanceQueued = false;
  private background: Promise<void> = Promise.resolve();
  /** The latest error of a background snapshot or purge, if any. */
  lastBackgroundError: unknown;

  constructor(private readonly options: FileStateStoreProviderOptions) {
    this.keyCodec = new RowCodec(options.keySchema);
    this.valueCodec = new RowCodec(options.valueSchema);
    this.fingerprint = (Math.imul(this.keyCodec.fingerprint(), 0x9e3779b1) ^ this.valueCodec.fingerprint()) >>> 0;
    this.snapshotInterval = options.snapshotInterval ?? 10;
    this.minVersionsToRetain = options.minVersionsToRetain ?? 100;
    if (!Number.isSafeInteger(this.snapshotInterval) || this.snapshotInterval < 1)
      throw invalidArgument(`snapshotInterval must be an integer >= 1, got ${this.snapshotInterval}.`);
    if (!Number.isSafeInteger(this.minVersionsToRetain) || this.minVersionsToRetain < 1) {
      throw invalidArgument(`minVersionsToRetain must be an integer >= 1, got ${this.minVersionsToRetain}.`);
    }
  }

  /** Path of the delta file of `version`. */
  deltaPath(version: number): string {
    return join(this.options.dir, `${version}.delta`);
  }

  /** Path of the snapshot file of `version`. */
  snapshotPath(version: number): string {
    return join(this.options.dir, `${version}.snapshot`);
  }

  async getStore(version: number): Promise<StateStore> {
    if (!Number.isSafeInteger(version) || version < 0) throw invalidArgument(`State version must be a non-negative integer, got ${version}.`);
    if (this.storeOpen) throw internalError(`State store ${describeId(this.options.id)} already has an open version; commit or abort it first.`);
    this.storeOpen = true;
    try {
      if (this.loaded?.version !== version) this.loaded = { version, map: await this.load(version) };
      return new FileStateStore(this.options.id, version, this.loaded.map, this.keyCodec, this.valueCodec, this);
    } catch (e) {
      this.storeOpen = false;
      throw e;
    }
  }

  async commitChanges(fromVersion: number, base: KeyValueMap, changes: KeyValueMap): Promise<void> {
    const version = fromVersion + 1;
    const files = await this.listFiles();
    const staleDeltas = [...files.deltas].filter((v) => v > version);
    const staleSnapshots = [...files.snapshots].filter((v) => v >= version);
    if (staleDeltas.length + staleSnapshots.length > 0) {
      // A re-run replaces a version written before a crash; files after it belong to the abandoned run.
      await this.whenIdle();
      for (const v of staleSnapshots) {
        await this.options.fileManager.delete(this.snapshotPath(v));
        files.snapshots.delete(v);
      }
      for (const v of staleDeltas) {
        await this.options.fileManager.delete(this.deltaPath(v));
        files.deltas.delete(v);
      }
    }
    await this.options.fileManager.mkdirs(this.options.dir);
    await this.options.fileManager.writeAtomic(this.deltaPath(version), encodeStateFile('delta', version, this.fingerprint, changes));
    files.deltas.add(version);
    // Into an empty base (a first batch) the changes become the new version as they are.
    const next = base.size === 0 ? changes : mergeChanges(base, changes);
    this.loaded = { version, map: next };
    if (this.maintenanceDue(files, version)) this.queueMaintenance();
  }

  storeClosed(): void {
    this.storeOpen = false;
  }

  async whenIdle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.background;
      await seen;
    } while (seen !== this.background);
  }

  async close(): Promise<void> {
    await this.whenIdle();
    this.loaded = undefined;
  }

  private async listFiles(): Promise<StateFiles> {
    if (this.files !== undefined) return this.files;
    const files: StateFiles = { deltas: new Set(), snapshots: new Set() };
    for (const name of await this.options.fileManager.list(this.options.dir)) {
      const m = FILE_NAME.exec(name);
      if (m === null) continue;
      (m[2] === 'delta' ? files.deltas : files.snapshots).add(Number(m[1]));
    }
    this.files = files;
    return files;
  }

  private async load(version: number): Promise<KeyValueMap> {
    const map = new KeyValueMap();
    if (version === 0) return map;
    const files = await this.listFiles();
    const snapshot = newestAtMost(files.snapshots, version);
    if (snapshot > 0) await this.readInto(this.snapshotPath(snapshot), 'snapshot', map);
    for (let v = snapshot + 1; v <= version; v++) {
      if (!files.deltas.has(v)) {
        throw checkpointCorrupt(
          this.deltaPath(v),
          `the file is missing, and loading version ${version} of state store ${describeId(this.options.id)} needs it`,
          'Restore it from a backup, or start the query with a new checkpoint location.',
        );
      }
      await this.readInto(this.deltaPath(v), 'delta', map);
    }
    return map;
  }

  private async readInto(path: string, kind: StateFileKind, map: KeyValueMap): Promise<void> {
    applyStateFile(path, await this.options.fileManager.readFile(path), kind, this.fingerprint, map);
  }

  private maintenanceDue(files: StateFiles, version: number): boolean {
    return version - newestAtMost(files.snapshots, version) >= this.snapshotInterval || this.purgeTargets(files).length > 0;
  }

  private queueMaintenance(): void {
    if (this.maintenanceQueued) return;
    this.maintenanceQueued = true;
    this.background = this.background.then(async () => {
      // Let the committing caller carry on first: housekeeping is not on the commit path.
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.maintenanceQueued = false;
      try {
        await this.maintain();
      } catch (e) {
        this.lastBackgroundError = e;
        this.options.onBackgroundError?.(e);
      }
    });
  }

  private async maintain(): Promise<void> {
    const files = await this.listFiles();
    await oneSnapshotAtATime(async () => {
      const current = this.loaded;
      if (current === undefined || current.version <= 0 || current.version - newestAtMost(files.snapshots, current.version) < this.snapshotInterval) return;
      // Encoding runs synchronously, so it sees one consistent version even if commits follow.
      const bytes = encodeStateFile('snapshot', current.version, this.fingerprint, current.map);
      await this.options.fileManager.writeAtomic(this.snapshotPath(current.version), bytes);
      files.snapshots.add(current.version);
    });
    for (const { path, version, kind } of this.purgeTargets(files)) {
      await this.options.fileManager.delete(path);
      (kind === 'delta' ? files.deltas : files.snapshots).delete(version);
    }
  }

  /** Files not needed to load any of the newest `minVersionsToRetain` versions. */
  private purgeTargets(files: StateFiles): { path: string; version: number; kind: StateFileKind }[] {
    const latest = Math.max(0, ...files.deltas, ...files.snapshots);
    const base = newestAtMost(files.snapshots, latest - this.minVersionsToRetain + 1);
    if (base <= 0) return [];
    const out: { path: string; version: number; kind: StateFileKind }[] = [];
    for (const v of files.snapshots) if (v < base) out.push({ path: this.snapshotPath(v), version: v, kind: 'snapshot' });
    for (const v of files.deltas) if (v <= base) out.push({ path: this.deltaPath(v), version: v, kind: 'delta' });
    return out;
  }
}

/** The tail of the process-wide queue of snapshot writes. */
let snapshotQueue: Promise<void> = Promise.resolve();

/**
 * Runs `task` after every snapshot write queued before it, across all providers of the
 * process. A snapshot holds its whole version encoded in memory while it is written, so
 * the partitions of an operator (which reach their snapshot versions in the same batch)
 * write theirs one after the other: the transient memory is one partition's snapshot, not
 * all of them, and the disk gets one large write at a time next to the commits' fsyncs.
 */
function oneSnapshotAtATime(task: () => Promise<void>): Promise<void> {
  const run = snapshotQueue.then(task);
  snapshotQueue = run.catch(() => undefined);
  return run;
}

/** The largest member of `set` that is <= `limit`, or 0. */
function newestAtMost(set: Set<number>, limit: number): number {
  let best = 0;
  for (const v of set) if (v <= limit && v > best) best = v;
  return best;
}

function mergeChanges(base: KeyValueMap, changes: KeyValueMap): KeyValueMap {
  const kb = changes.keys.bytes;
  const vb = changes.values.bytes;
  for (let e = 0; e < changes.entryCount; e++) {
    const kl = changes.keyLen[e] as number;
    if (kl < 0) continue;
    const ko = changes.keyOff[e] as number;
    const h = changes.hashes[e] as number;
    const vl = changes.valLen[e] as number;
    if (vl === REMOVED) base.delete(kb, ko, ko + kl, h);
    else base.set(kb, ko, ko + kl, h, vb, changes.valOff[e] as number, (changes.valOff[e] as number) + vl);
  }
  return base;
}

import type { StateStore } from './state-store.js';

/**
 * Loads versions of one state store and keeps its files.
 *
 * Contract: `getStore(v)` returns a store holding exactly the data committed at version
 * v (throwing CHECKPOINT_CORRUPT naming a file when the files needed are missing or
 * damaged). At most one store per provider is open (not yet committed or aborted) at a
 * time. Housekeeping (snapshots, deleting files no longer needed) happens off the commit
 * path; `whenIdle()` waits for it, `close()` waits for it and releases memory.
 */
export interface StateStoreProvider {
  /** Opens the store at `version`. */
  getStore(version: number): Promise<StateStore>;
  /** Resolves when background housekeeping has finished. */
  whenIdle(): Promise<void>;
  /** Waits for housekeeping and drops cached versions. */
  close(): Promise<void>;
}

import { join } from 'node:path';

/**
 * Where things live in a checkpoint directory, following Spark's layout:
 * `metadata` (the query id), `offsets/N`, `commits/N`, `sources/<i>/`,
 * `state/<operatorId>/<partitionId>/[<storeName>/]`, plus `lock` (the running query's
 * process) and `last-error.json` (the error that last stopped the query). Pure path arithmetic; no I/O.
 */
export class CheckpointLayout {
  constructor(readonly root: string) {}

  /** The file holding `{"id": "<query id>"}`. */
  get metadataPath(): string {
    return join(this.root, 'metadata');
  }

  /** The lock file naming the process running the query. */
  get lockPath(): string {
    return join(this.root, 'lock');
  }

  /** The file recording the error that last stopped the query (see `last-error.ts`). */
  get lastErrorPath(): string {
    return join(this.root, 'last-error.json');
  }

  /** The offset log directory. */
  get offsetsDir(): string {
    return join(this.root, 'offsets');
  }

  /** The commit log directory. */
  get commitsDir(): string {
    return join(this.root, 'commits');
  }

  /** The parent of every source's private directory. */
  get sourcesDir(): string {
    return join(this.root, 'sources');
  }

  /** The parent of every state store's directory. */
  get stateDir(): string {
    return join(this.root, 'state');
  }

  /** The private directory of the source at plan position `ordinal`. */
  sourceDir(ordinal: number): string {
    return join(this.sourcesDir, String(ordinal));
  }

  /** The directory of one state store: operator, partition and optional store name. */
  stateStoreDir(operatorId: number, partitionId: number, storeName?: string): string {
    const base = join(this.stateDir, String(operatorId), String(partitionId));
    return storeName === undefined ? base : join(base, storeName);
  }
}

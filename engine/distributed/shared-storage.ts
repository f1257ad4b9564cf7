/**
 * Storage every driver and worker process reaches under the same keys: where large task
 * results go (and, later, shuffle blocks and state snapshots). Keys are `/`-separated
 * paths. Implemented by a shared folder ({@link FolderStorage}: NFS, a mounted volume, or a
 * local folder when all processes run on one machine). An S3-compatible object store fits
 * the same shape: `put` is a PUT (atomic per object), `putIfAbsent` a PUT with
 * `If-None-Match: *` (the conditional put that stands in for an atomic rename: a writer
 * puts the final name only if nobody did), `get` a GET (404 is null), `list` a
 * ListObjectsV2 by prefix, `delete` a DELETE.
 */
export interface SharedStorage {
  /** Where the storage is, for messages: a folder path or a bucket URL. */
  readonly location: string;
  /** Writes `bytes` under `key`, replacing any value; readers see the old or the new value, never a part. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Writes `bytes` under `key` only if the key does not exist; true when this call created it. */
  putIfAbsent(key: string, bytes: Uint8Array): Promise<boolean>;
  /** The value under `key`, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** The keys that start with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes `key`; no error when it is absent. */
  delete(key: string): Promise<void>;
}

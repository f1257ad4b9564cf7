import type { Dirent } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Bytes of the files a checkpoint gained since the previous scan, by kind. */
export interface CheckpointWrites {
  /** State store deltas (`state/<op>/<partition>/<v>.delta`). */
  readonly deltaBytes: number;
  /** State store snapshots (`state/.../<v>.snapshot`), written in the background. */
  readonly snapshotBytes: number;
  /** Offset and commit log entries (`offsets/N`, `commits/N`). */
  readonly logBytes: number;
  /** Everything else (metadata, source logs...). */
  readonly otherBytes: number;
  /** Delta files seen in this scan. */
  readonly deltaFiles: number;
  /** Snapshot files seen in this scan. */
  readonly snapshotFiles: number;
}

/** Suffix of the temporary files the checkpoint writes before renaming them (see engine/checkpoint/file-manager.ts). */
const TEMP_SUFFIX = '.sluice-tmp';

/**
 * Measures what a checkpoint folder gains between two calls of {@link scan}: every file not
 * seen before (or whose size changed) counts in full, classified by its path. Temporary
 * files of writes in progress are skipped (the renamed file is counted when it appears).
 * Synchronous, so it can run inside a progress listener.
 */
export class CheckpointBytesScanner {
  private readonly sizes = new Map<string, number>();

  constructor(readonly dir: string) {}

  /** The files that appeared or changed since the last call. */
  scan(): CheckpointWrites {
    let deltaBytes = 0;
    let snapshotBytes = 0;
    let logBytes = 0;
    let otherBytes = 0;
    let deltaFiles = 0;
    let snapshotFiles = 0;
    for (const path of listFiles(this.dir)) {
      if (path.endsWith(TEMP_SUFFIX)) continue;
      let size: number;
      try {
        size = statSync(path).size;
      } catch {
        continue; // purged between the listing and the stat
      }
      if (this.sizes.get(path) === size) continue;
      this.sizes.set(path, size);
      const rel = relative(this.dir, path).split(sep);
      const top = rel[0];
      const name = rel[rel.length - 1] ?? '';
      if (top === 'state' && name.endsWith('.delta')) {
        deltaBytes += size;
        deltaFiles++;
      } else if (top === 'state' && name.endsWith('.snapshot')) {
        snapshotBytes += size;
        snapshotFiles++;
      } else if (top === 'offsets' || top === 'commits') logBytes += size;
      else otherBytes += size;
    }
    return { deltaBytes, snapshotBytes, logBytes, otherBytes, deltaFiles, snapshotFiles };
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * The files a streaming file source has already taken (Spark's SeenFilesMap), aged by
 * `maxFileAge`: `purge()` forgets files older than the newest seen file minus the age, and
 * from then on files older than that threshold are no longer new, so the map stays bounded
 * while old files are not taken twice. Before the first purge every unseen file is new.
 */
export class SeenFilesMap {
  private readonly seen = new Map<string, number>();
  private latestMs = Number.NEGATIVE_INFINITY;
  private thresholdMs = Number.NEGATIVE_INFINITY;

  /**
   * @param maxAgeMs - how far behind the newest file a file may be and still be new
   * @param ignoreAge - keep every file regardless of age (Spark does so for latestFirst with a per-trigger cap)
   */
  constructor(
    private readonly maxAgeMs: number,
    private readonly ignoreAge: boolean,
  ) {}

  /** Records a taken file. */
  add(path: string, mtimeMs: number): void {
    this.seen.set(path, mtimeMs);
    if (mtimeMs > this.latestMs) this.latestMs = mtimeMs;
  }

  /** True when the file was not taken and is not too old. */
  isNew(path: string, mtimeMs: number): boolean {
    return mtimeMs >= this.thresholdMs && !this.seen.has(path);
  }

  /** Forgets files older than the age threshold; returns how many. */
  purge(): number {
    if (this.ignoreAge || this.latestMs === Number.NEGATIVE_INFINITY) return 0;
    this.thresholdMs = this.latestMs - this.maxAgeMs;
    let n = 0;
    for (const [path, mtime] of this.seen) {
      if (mtime < this.thresholdMs) {
        this.seen.delete(path);
        n++;
      }
    }
    return n;
  }

  /** Number of files remembered. */
  get size(): number {
    return this.seen.size;
  }
}

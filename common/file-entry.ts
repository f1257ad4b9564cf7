/** One input file as listed when a plan was built, or as recorded in a file log. */
export interface FileEntry {
  /** Absolute path of the file. */
  readonly path: string;
  /** Size in bytes when listed. */
  readonly size: number;
  /** Modification time (ms since the epoch) when listed. */
  readonly mtimeMs: number;
}

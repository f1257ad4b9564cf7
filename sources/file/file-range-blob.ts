import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The part of the Blob interface parquet-wasm's `ParquetFile.fromFile` uses: `size`, and
 * `slice(start, end).arrayBuffer()` for each byte range it wants (the footer, then one range
 * per column chunk of the row groups it reads).
 */
export interface RangeBlob {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/**
 * A file opened for positioned reads, seen by parquet-wasm as a Blob. Each range is read
 * with one synchronous `pread` when parquet-wasm asks for it, so a worker thread decodes a
 * row group without the hops through libuv's thread pool that `fs.openAsBlob` costs for
 * every column chunk (the worker waited on them ~10 % of a scan). Synchronous reads block
 * the calling thread: use it on worker threads only, never on the driver's main thread.
 * Call {@link FileRangeBlob.close} when done; reads after that reject.
 */
export class FileRangeBlob implements RangeBlob {
  /** The file's size in bytes when it was opened. */
  readonly size: number;
  private fd: number | null;

  private constructor(fd: number, size: number) {
    this.fd = fd;
    this.size = size;
  }

  /** Opens `path` for reading; throws the fs error (e.g. ENOENT) when it cannot be opened. */
  static open(path: string): FileRangeBlob {
    const fd = openSync(path, 'r');
    try {
      return new FileRangeBlob(fd, fstatSync(fd).size);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Bytes `[start, end)` (clamped to the file, negative positions count from the end, as Blob's). */
  slice(start = 0, end = this.size): { arrayBuffer(): Promise<ArrayBuffer> } {
    const from = clamp(start, this.size);
    const to = Math.max(from, clamp(end, this.size));
    return { arrayBuffer: () => this.read(from, to) };
  }

  /** Reads `[from, to)` in full; rejects when the file was closed or turned out shorter. */
  private read(from: number, to: number): Promise<ArrayBuffer> {
    try {
      const fd = this.fd;
      if (fd === null) throw new Error('the file was closed');
      const n = to - from;
      // Not zero-filled (every byte is read below), and its own ArrayBuffer of exactly n bytes.
      const bytes = Buffer.allocUnsafeSlow(n);
      let done = 0;
      while (done < n) {
        const got = readSync(fd, bytes, done, n - done, from + done);
        if (got === 0) throw new Error(`the file ended at byte ${from + done}, before byte ${to} (it was truncated after it was opened)`);
        done += got;
      }
      return Promise.resolve(bytes.buffer as ArrayBuffer);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Closes the file; idempotent. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }
}

function clamp(pos: number, size: number): number {
  const p = pos < 0 ? size + pos : pos;
  return Math.min(Math.max(0, p), size);
}

/**
 * A growable byte buffer that values are appended to. `bytes` may be replaced when the
 * arena grows, so callers re-read it after every append; offsets stay valid.
 */
export class ByteArena {
  /** The storage; bytes at and past `length` are unused. */
  bytes: Uint8Array;
  /** Bytes in use. */
  length = 0;

  constructor(initialCapacity = 1024) {
    this.bytes = new Uint8Array(Math.max(16, initialCapacity));
  }

  /**
   * Makes room for `extra` more bytes. The capacity grows by half (not doubles), so a large
   * arena wastes at most a third of its bytes and a growth step holds 2.5x, not 3x, the data.
   */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.bytes.length) return;
    const cap = Math.max(need, Math.floor(this.bytes.length * 1.5), 16);
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** Appends `src[start..end)` and returns the offset it was written at. */
  append(src: Uint8Array, start: number, end: number): number {
    const n = end - start;
    this.reserve(n);
    const at = this.length;
    const dst = this.bytes;
    // Short copies are faster as a loop than through a subarray view.
    if (n <= 64) for (let k = 0; k < n; k++) dst[at + k] = src[start + k] as number;
    else dst.set(src.subarray(start, end), at);
    this.length = at + n;
    return at;
  }
}

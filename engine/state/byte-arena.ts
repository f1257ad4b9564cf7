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

  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < need) cap *= 2;
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

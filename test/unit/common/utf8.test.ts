import { describe, expect, it } from 'vitest';
import { bytesCompare, bytesEqual, decodeUtf8, encodeUtf8, hashBytes } from '../../../common/utf8.js';

const enc = (s: string): Uint8Array => encodeUtf8(s);

describe('utf8 helpers', () => {
  it('encodes and decodes ASCII and multi-byte text', () => {
    for (const s of ['', 'hello', 'é', '日本語', '😀 emoji', 'a'.repeat(33), `${'b'.repeat(31)}é`]) {
      const b = enc(s);
      expect(decodeUtf8(b, 0, b.length)).toBe(s);
    }
    expect(enc('é')).toEqual(Uint8Array.from([0xc3, 0xa9]));
  });

  it('decodes a sub-range', () => {
    const b = enc('xxhéllo!');
    expect(decodeUtf8(b, 2, 8)).toBe('héllo');
    expect(decodeUtf8(b, 3, 3)).toBe('');
  });

  it('compares bytes for equality over ranges', () => {
    const a = enc('__abc');
    const b = enc('abc');
    expect(bytesEqual(a, 2, 5, b, 0, 3)).toBe(true);
    expect(bytesEqual(a, 2, 4, b, 0, 3)).toBe(false);
    expect(bytesEqual(a, 0, 3, b, 0, 3)).toBe(false);
    expect(bytesEqual(a, 1, 1, b, 2, 2)).toBe(true);
  });

  it('orders by bytes, i.e. code points, with prefixes first', () => {
    const cmp = (x: string, y: string): number => {
      const a = enc(x);
      const b = enc(y);
      return Math.sign(bytesCompare(a, 0, a.length, b, 0, b.length));
    };
    expect(cmp('abc', 'abd')).toBe(-1);
    expect(cmp('ab', 'abc')).toBe(-1);
    expect(cmp('abc', 'abc')).toBe(0);
    expect(cmp('', 'a')).toBe(-1);
    expect(cmp('Z', 'a')).toBe(-1);
    expect(cmp('é', 'z')).toBe(1);
    expect(cmp('\uffff', '😀')).toBe(-1);
  });

  it('hashes equal byte ranges equally, wherever they sit', () => {
    const a = enc('--日本');
    const b = enc('日本');
    expect(hashBytes(a, 2, a.length)).toBe(hashBytes(b, 0, b.length));
    expect(hashBytes(b, 0, b.length)).not.toBe(hashBytes(enc('日'), 0, 3));
    expect(hashBytes(b, 0, 0)).toBe(0x811c9dc5);
    const h = hashBytes(enc('abc'), 0, 3);
    expect(h).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(h) && h < 2 ** 32).toBe(true);
  });
});

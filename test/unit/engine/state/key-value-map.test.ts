import { describe, expect, it } from 'vitest';
import { hashKeyBytes } from '../../../../engine/state/key-hash.js';
import { KeyValueMap, REMOVED } from '../../../../engine/state/key-value-map.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function put(m: KeyValueMap, k: string, v: string): boolean {
  const kb = enc.encode(k);
  const vb = enc.encode(v);
  return m.set(kb, 0, kb.length, hashKeyBytes(kb, 0, kb.length), vb, 0, vb.length);
}
function get(m: KeyValueMap, k: string): string | undefined {
  const kb = enc.encode(k);
  const e = m.find(kb, 0, kb.length, hashKeyBytes(kb, 0, kb.length));
  if (e < 0) return undefined;
  const o = m.valOff[e]!;
  return m.valLen[e] === REMOVED ? '<removed>' : dec.decode(m.values.bytes.subarray(o, o + m.valLen[e]!));
}
function del(m: KeyValueMap, k: string): boolean {
  const kb = enc.encode(k);
  return m.delete(kb, 0, kb.length, hashKeyBytes(kb, 0, kb.length));
}

describe('KeyValueMap', () => {
  it('sets, overwrites (shorter in place, longer appended), removes and marks removals', () => {
    const m = new KeyValueMap();
    expect(put(m, 'a', 'one')).toBe(true);
    expect(put(m, 'a', 'x')).toBe(false);
    expect(get(m, 'a')).toBe('x');
    expect(put(m, 'a', 'much longer value')).toBe(false);
    expect(get(m, 'a')).toBe('much longer value');
    expect(put(m, '', '')).toBe(true);
    expect(get(m, '')).toBe('');
    const kb = enc.encode('b');
    expect(m.setRemoved(kb, 0, 1, hashKeyBytes(kb, 0, 1))).toBe(true);
    expect(get(m, 'b')).toBe('<removed>');
    expect(m.size).toBe(3);
    expect(del(m, 'a')).toBe(true);
    expect(del(m, 'a')).toBe(false);
    expect(get(m, 'a')).toBeUndefined();
    expect(m.size).toBe(2);
    m.clear();
    expect(m.size).toBe(0);
    expect(get(m, '')).toBeUndefined();
  });

  it('agrees with a Map over many random operations, through growth and compaction', () => {
    const m = new KeyValueMap(4);
    const ref = new Map<string, string>();
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let mismatches = 0;
    for (let i = 0; i < 40_000; i++) {
      const k = `k${rnd(5000)}`;
      if (rnd(3) === 0) mismatches += del(m, k) === ref.delete(k) ? 0 : 1;
      else {
        const v = 'v'.repeat(rnd(20)) + i;
        mismatches += put(m, k, v) === !ref.has(k) ? 0 : 1;
        ref.set(k, v);
      }
    }
    expect(mismatches).toBe(0);
    expect(m.size).toBe(ref.size);
    for (let i = 0; i < 5000; i++) expect(get(m, `k${i}`)).toBe(ref.get(`k${i}`));
    let live = 0;
    for (let e = 0; e < m.entryCount; e++) if (m.keyLen[e]! >= 0) live++;
    expect(live).toBe(ref.size);
  });

  it('holds 2.5 million fixed-size entries in under 95 bytes each (slot table doubled once, arrays grown by half)', () => {
    const m = new KeyValueMap();
    const k = new Uint8Array(9);
    const v = new Uint8Array(27);
    const view = new DataView(k.buffer);
    const n = 2_500_000;
    for (let i = 0; i < n; i++) {
      k[0] = 1;
      view.setInt32(1, i, true);
      v[0] = i & 255;
      m.set(k, 0, 9, hashKeyBytes(k, 0, 9), v, 0, 27);
    }
    expect(m.size).toBe(n);
    // 36 bytes of key and value, 20 of entry arrays and 4 per slot; this size took 114 bytes a
    // key when the slot table quadrupled and the arrays doubled.
    expect(m.memoryBytes / n).toBeLessThan(95);
    view.setInt32(1, 777_777, true);
    const e = m.find(k, 0, 9, hashKeyBytes(k, 0, 9));
    expect(m.values.bytes[m.valOff[e]!]).toBe(777_777 & 255);
  });
});

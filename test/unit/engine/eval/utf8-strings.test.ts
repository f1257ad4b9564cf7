import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import { valueAt } from '../../../../common/vector-value-at.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { readStrings, utf8ByteLength, utf8FromStrings } from '../../../../engine/eval/utf8-strings.js';

describe('bulk utf8 <-> strings', () => {
  const values = ['plain', null, '', 'ünï', '😀 smile', '日本', null, 'end'];

  it('reads plain, non-ASCII, sliced-offset and dictionary vectors', () => {
    const v = vectorFromValues(types.utf8, values);
    expect(readStrings(v)).toEqual(values);
    const ascii = vectorFromValues(types.utf8, ['a', null, 'bc', '']);
    expect(readStrings(ascii)).toEqual(['a', null, 'bc', '']);
    const dict = {
      type: types.utf8,
      length: 5,
      validity: Uint8Array.of(1, 1, 1, 0, 1),
      values: Int32Array.of(0, 1, 0, 0, 2),
      dictionary: vectorFromValues(types.utf8, ['x', 'y', 'ü']),
    };
    expect(readStrings(dict)).toEqual(['x', 'y', 'x', null, 'ü']);
  });

  it('writes one buffer whose rows read back equal, lone surrogates as U+FFFD', () => {
    const v = utf8FromStrings(values);
    expect(Array.from({ length: values.length }, (_, i) => valueAt(v, i))).toEqual(values);
    expect(utf8ByteLength('a\u00e9\u65e5😀')).toBe(1 + 2 + 3 + 4);
    const lone = utf8FromStrings(['x\ud800y']);
    expect(valueAt(lone, 0)).toBe('x\ufffdy');
  });
});

import type { ColumnVector } from '../../common/column-vector.js';
import { internalError } from '../../common/errors.js';
import { radixSortPermutation } from './radix-sort.js';
import type { SortDirection } from './sort-key-words.js';
import { sortKeyWords } from './sort-key-words.js';

/**
 * The stable permutation that sorts rows `[0, numRows)` by the key columns, first key
 * most significant: row `perm[k]` of the input is row k of the sorted output. Keys are
 * turned into order-preserving 32-bit words once ({@link sortKeyWords}) and sorted with an
 * LSD radix sort, so the cost is linear in rows times key words; rows with equal keys keep
 * their input order.
 */
export function sortPermutation(keys: readonly ColumnVector[], dirs: readonly SortDirection[], numRows: number): Int32Array {
  if (keys.length !== dirs.length) throw internalError(`sortPermutation got ${keys.length} keys but ${dirs.length} directions`);
  const words: Int32Array[] = [];
  for (let k = 0; k < keys.length; k++) words.push(...sortKeyWords(keys[k] as ColumnVector, dirs[k] as SortDirection));
  return radixSortPermutation(words, numRows);
}

import type { ColumnVector } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { mixColumnInto } from '../hash/hash-keys.js';
import { finalizeHash, HASH_SEED, mixWord } from '../hash/hash-mix.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

/**
 * Kernel of `rowHash(seed, cols...)`: the engine's key hash of the columns (the one hash
 * joins and grouping use), started from a seed-dependent state and finalised, as an
 * unsigned 32-bit value divided by 2^32: a double in [0, 1).
 */
export function compileRowHash(ops: readonly Operand[]): CompiledExpr {
  const seedOp = ops[0] as Operand;
  const seed = seedOp.kind === 'lit' ? Number(seedOp.value) : 0;
  const start = mixWord(mixWord(HASH_SEED, seed | 0), Math.floor(seed / 2 ** 32) | 0);
  const cols = ops.slice(1);
  return (b) => {
    const n = b.numRows;
    const h = new Int32Array(n).fill(start);
    for (const c of cols) mixColumnInto(h, operandVector(c, b) as ColumnVector, n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = (finalizeHash(h[i] as number) >>> 0) / 4294967296;
    return { type: types.float64, length: n, validity: null, values: out };
  };
}

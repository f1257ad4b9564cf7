import type { DataType } from '../../common/data-type.js';
import { fitsPrecision, pow10, rescale } from '../../common/decimal.js';
import { decimalArithmeticType } from '../../common/decimal-types.js';
import { writableValidity } from './eval-vectors.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

type Decimal = Extract<DataType, { kind: 'decimal' }>;

/**
 * `left op right` over two decimals (`+`, `-`, `*`), exact: the operands' unscaled int64
 * values are combined in BigInt at full scale, rounded half-up to the result type
 * ({@link decimalArithmeticType}), and a result needing more digits than its precision is
 * null (Spark's non-ANSI overflow).
 */
export function compileDecimalArithmetic(op: '+' | '-' | '*', left: Operand, right: Operand): CompiledExpr {
  const lt = left.type as Decimal;
  const rtIn = right.type as Decimal;
  const type = decimalArithmeticType(op, lt, rtIn) as Decimal;
  const fullScale = op === '*' ? lt.scale + rtIn.scale : Math.max(lt.scale, rtIn.scale);
  const lShift = op === '*' ? 1n : pow10(fullScale - lt.scale);
  const rShift = op === '*' ? 1n : pow10(fullScale - rtIn.scale);
  return (batch) => {
    const n = batch.numRows;
    const l = operandVector(left, batch);
    const r = operandVector(right, batch);
    const a = l.values as BigInt64Array;
    const b = r.values as BigInt64Array;
    const valid = writableValidity(l.validity, r.validity, n);
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      const x = a[i] as bigint;
      const y = b[i] as bigint;
      const full = op === '*' ? x * y : op === '+' ? x * lShift + y * rShift : x * lShift - y * rShift;
      const z = fullScale === type.scale ? full : rescale(full, fullScale, type.scale);
      if (fitsPrecision(z, type.precision)) out[i] = z;
      else valid[i] = 0;
    }
    return { type, length: n, validity: valid, values: out };
  };
}

import { booleanVector } from './eval-vectors.js';
import type { CompiledExpr } from './operand.js';

/** Compiles IS NULL (`negated` false) or IS NOT NULL (`negated` true); the result is never null. */
export function compileNullTest(child: CompiledExpr, negated: boolean): CompiledExpr {
  return (batch) => {
    const v = child(batch);
    const n = batch.numRows;
    const out = new Uint8Array(n);
    if (v.type.kind === 'null') out.fill(negated ? 0 : 1);
    else if (v.validity === null) out.fill(negated ? 1 : 0);
    else {
      const m = v.validity;
      const flip = negated ? 0 : 1;
      for (let i = 0; i < n; i++) out[i] = (m[i] as number) ^ flip;
    }
    return booleanVector(out, null);
  };
}

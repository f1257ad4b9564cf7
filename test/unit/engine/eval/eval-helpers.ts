import type { ColumnarBatch, ColumnVector } from '../../../../common/column-vector.js';
import type { DataType } from '../../../../common/data-type.js';
import type { Field } from '../../../../common/schema.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import type { Column } from '../../../../dataframe/expr/column.js';
import { analyzeExpr } from '../../../../dataframe/expr/analyze-expr.js';
import type { LiteralValue } from '../../../../dataframe/expr/expr.js';
import { compileExpr } from '../../../../engine/eval/compile-expr.js';
import { literalValueAt } from '../../../../engine/eval/eval-vectors.js';

/** A column spec for test batches: name, type and literal-form values. */
export type ColSpec = readonly [string, DataType, readonly LiteralValue[]];

/** A dictionary-encoded utf8 vector. */
export function dictVector(dict: readonly string[], idx: readonly (number | null)[]): ColumnVector {
  const validity = idx.some((x) => x === null) ? Uint8Array.from(idx, (x) => (x === null ? 0 : 1)) : null;
  return {
    type: { kind: 'utf8' },
    length: idx.length,
    validity,
    values: Int32Array.from(idx, (x) => x ?? 0),
    dictionary: vectorFromValues({ kind: 'utf8' }, dict),
  };
}

/** A batch from column specs (or ready vectors). */
export function batchOf(cols: readonly (ColSpec | readonly [string, ColumnVector])[]): ColumnarBatch {
  const fields: Field[] = [];
  const vectors: ColumnVector[] = [];
  for (const c of cols) {
    if (c.length === 2) {
      fields.push(field(c[0], c[1].type));
      vectors.push(c[1]);
    } else {
      fields.push(field(c[0], c[1]));
      vectors.push(vectorFromValues(c[1], c[2]));
    }
  }
  const schema = schemaOf(fields);
  return { schema, columns: vectors, numRows: vectors[0]?.length ?? 0 };
}

/** Analyzes and evaluates a Column over a batch, returning literal-form values. */
export function evalValues(c: Column, batch: ColumnarBatch): LiteralValue[] {
  const a = analyzeExpr(c.expr, batch.schema);
  const v = compileExpr(a.expr, batch.schema)(batch);
  expect(v.length).toBe(batch.numRows);
  return Array.from({ length: v.length }, (_, i) => literalValueAt(v, i));
}

import { expect } from 'vitest';

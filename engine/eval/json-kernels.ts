import { addBatchCounter } from '../../common/batch-counters.js';
import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { fitJsonValue } from '../../common/json-fit-value.js';
import { SluiceError } from '../../common/errors.js';
import { decodeUtf8 } from '../../common/utf8.js';
import type { JsValue } from '../../common/vector-from-values.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import { valueAt } from '../../common/vector-value-at.js';
import { decodeDictionary } from '../../common/vector-concat.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

/** Names a record for FAILFAST errors: topic, partition and offset when the input has them (Kafka rows), else the row. */
function recordName(batch: ColumnarBatch, row: number): string {
  const idx = (name: string): number => batch.schema.fields.findIndex((f) => f.name === name);
  const [t, p, o] = [idx('topic'), idx('partition'), idx('offset')];
  if (t >= 0 && p >= 0 && o >= 0) {
    const at = (k: number): JsValue => valueAt(batch.columns[k] as ColumnVector, row);
    return `topic '${String(at(t))}', partition ${String(at(p))}, offset ${String(at(o))}`;
  }
  return `row ${row} of the batch`;
}

/**
 * Compiles `from_json(json, schema, mode)`: parses each row's JSON object (utf8 or UTF-8
 * binary) into a struct of `type`. A value that is not a JSON object is malformed: null
 * plus the batch counter `malformedRecords` (PERMISSIVE), or an error naming the record
 * (FAILFAST). Null input gives null without counting.
 */
export function compileFromJson(arg: Operand, type: DataType, mode: string): CompiledExpr {
  const fields = type.kind === 'struct' ? type.fields : [];
  return (batch) => {
    const v = decodeDictionary(operandVector(arg, batch));
    const n = batch.numRows;
    const validity = new Uint8Array(n);
    const columns: JsValue[][] = fields.map(() => new Array<JsValue>(n).fill(null));
    const bytes = v.values as Uint8Array;
    const offs = v.offsets;
    let malformed = 0;
    for (let r = 0; r < n; r++) {
      if (v.type.kind === 'null' || (v.validity !== null && v.validity[r] === 0) || offs === undefined) continue;
      const text = decodeUtf8(bytes, offs[r] as number, offs[r + 1] as number);
      let parsed: unknown;
      let problem: string | null = null;
      try {
        parsed = JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) problem = 'not a JSON object';
      } catch (e) {
        problem = (e as Error).message;
      }
      if (problem !== null) {
        if (mode === 'FAILFAST')
          throw new SluiceError(
            'MALFORMED_RECORD',
            `fromJson could not parse the record at ${recordName(batch, r)}: ${problem} (value starts '${text.slice(0, 60)}'). Use mode PERMISSIVE to get null for such records instead.`,
          );
        malformed++;
        continue;
      }
      validity[r] = 1;
      const o = parsed as Record<string, unknown>;
      fields.forEach((f, k) => {
        (columns[k] as JsValue[])[r] = fitJsonValue(o[f.name], f.type);
      });
    }
    addBatchCounter('malformedRecords', malformed);
    const children = fields.map((f, k) => vectorFromValues(f.type, columns[k] as JsValue[], `field '${f.name}'`));
    return { type, length: n, validity, values: new Uint8Array(0), children };
  };
}

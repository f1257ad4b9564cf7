import { addBatchCounter } from '../../common/batch-counters.js';
import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import type { DataType, StructField } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import { decodeUtf8 } from '../../common/utf8.js';
import type { JsValue } from '../../common/vector-from-values.js';
import { vectorFromValues } from '../../common/vector-from-values.js';
import { valueAt } from '../../common/vector-value-at.js';
import { decodeDictionary } from '../../common/vector-concat.js';
import type { CompiledExpr, Operand } from './operand.js';
import { operandVector } from './operand.js';

const MS_PER_DAY = 86_400_000;

/** A parsed JSON value as a value of `type`, or null when it does not fit (the field becomes null). */
function fitValue(v: unknown, type: DataType): JsValue {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : null;
    case 'int64':
      return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
    case 'float64':
      return typeof v === 'number' ? v : null;
    case 'utf8':
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'timestamp': {
      const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : Number.NaN;
      return Number.isFinite(ms) ? new Date(ms) : null;
    }
    case 'date': {
      const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
      return Number.isFinite(ms) ? new Date(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY) : null;
    }
    case 'list':
      return Array.isArray(v) ? v.map((x) => fitValue(x, type.element)) : null;
    case 'struct':
      return typeof v === 'object' && !Array.isArray(v) ? fitStruct(v as Record<string, unknown>, type.fields) : null;
    default:
      return null;
  }
}

function fitStruct(o: Record<string, unknown>, fields: readonly StructField[]): JsValue {
  const out: Record<string, JsValue> = {};
  for (const f of fields) out[f.name] = fitValue(o[f.name], f.type);
  return out;
}

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
        (columns[k] as JsValue[])[r] = fitValue(o[f.name], f.type);
      });
    }
    addBatchCounter('malformedRecords', malformed);
    const children = fields.map((f, k) => vectorFromValues(f.type, columns[k] as JsValue[], `field '${f.name}'`));
    return { type, length: n, validity, values: new Uint8Array(0), children };
  };
}

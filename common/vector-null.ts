import type { ColumnVector } from './column-vector.js';
import type { DataType } from './data-type.js';
import { mapEntryType } from './data-type.js';

/** A vector of `n` nulls of `type`. */
export function nullVector(type: DataType, n: number): ColumnVector {
  if (type.kind === 'null') return { type, length: n, validity: null, values: new Uint8Array(0) };
  const validity = new Uint8Array(n);
  switch (type.kind) {
    case 'boolean':
      return { type, length: n, validity, values: new Uint8Array(n) };
    case 'int32':
    case 'date':
      return { type, length: n, validity, values: new Int32Array(n) };
    case 'float64':
      return { type, length: n, validity, values: new Float64Array(n) };
    case 'int64':
    case 'decimal':
    case 'timestamp':
      return { type, length: n, validity, values: new BigInt64Array(n) };
    case 'utf8':
    case 'binary':
      return { type, length: n, validity, values: new Uint8Array(0), offsets: new Int32Array(n + 1) };
    case 'list':
      return { type, length: n, validity, values: new Uint8Array(0), offsets: new Int32Array(n + 1), child: nullVector(type.element, 0) };
    case 'map':
      return { type, length: n, validity, values: new Uint8Array(0), offsets: new Int32Array(n + 1), child: nullVector(mapEntryType(type), 0) };
    case 'struct':
      return { type, length: n, validity, values: new Uint8Array(0), children: type.fields.map((f) => nullVector(f.type, n)) };
  }
}

import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { makeBatch } from '../../common/columnar-batch.js';
import { types } from '../../common/data-type.js';
import { invalidArgument } from '../../common/errors.js';
import type { Field, Schema } from '../../common/schema.js';
import { field, schemaOf } from '../../common/schema.js';
import { TextColumnBuilder } from '../file/text-column-builder.js';

/** The columns every redis-stream row starts with. */
const FIXED: readonly Field[] = [field('stream', types.utf8, false), field('id', types.utf8, false), field('timestamp', types.timestamp('us'), false)];

/**
 * The source's schema: `stream`, `id`, `timestamp` (the id's milliseconds, as a timestamp),
 * then either the user's columns (entry fields of the same name, decoded from text) or, with
 * no user schema, one `fields` column holding the entry's fields as a JSON object of strings.
 */
export function redisStreamSchema(user: Schema | null): Schema {
  if (user === null) return schemaOf([...FIXED, field('fields', types.utf8, false)]);
  for (const f of user.fields) {
    if (FIXED.some((x) => x.name === f.name))
      throw invalidArgument(
        `The redis-stream source's schema has column '${f.name}', which the source adds itself (stream, id, timestamp). Rename that field.`,
      );
    if (f.type.kind === 'binary')
      throw invalidArgument(
        `The redis-stream source decodes entry fields as UTF-8 text; read column '${f.name}' as STRING (binary fields are not supported yet).`,
      );
    if (f.type.kind === 'list' || f.type.kind === 'map' || f.type.kind === 'struct' || f.type.kind === 'null')
      throw invalidArgument(`The redis-stream source decodes entry fields from text; column '${f.name}' cannot be ${f.type.kind}. Use a scalar type.`);
  }
  return schemaOf([...FIXED, ...user.fields.map((f) => field(f.name, f.type, true))]);
}

const TWO_32 = 4294967296;

/**
 * Builds the source's columns from entries as Redis returns them (`[id, [name, value, ...]]`
 * with string elements), straight into typed arrays: no row objects are kept. A field whose
 * text does not convert to its column's type becomes null and is counted in `malformed`;
 * fields not in the schema are ignored; a missing field is null.
 */
export class StreamEntryColumns {
  private readonly schema: Schema;
  private readonly stream: TextColumnBuilder;
  private readonly id: TextColumnBuilder;
  private readonly stamps: BigInt64Array;
  private readonly halves: Int32Array;
  private readonly fields: TextColumnBuilder[];
  private readonly fieldIndex = new Map<string, number>();
  private readonly json: boolean;
  private readonly seen: Uint8Array;
  private rows = 0;
  /** Values that did not convert to their column's type (stored as null). */
  malformed = 0;

  /**
   * @param schema - from {@link redisStreamSchema}
   * @param capacity - rows at most (one XRANGE page)
   * @param json - true when the schema's last column is `fields` (no user schema)
   */
  constructor(schema: Schema, capacity: number, json: boolean) {
    this.schema = schema;
    this.json = json;
    this.stream = new TextColumnBuilder(types.utf8, capacity);
    this.id = new TextColumnBuilder(types.utf8, capacity);
    this.stamps = new BigInt64Array(capacity);
    this.halves = new Int32Array(this.stamps.buffer);
    const rest = schema.fields.slice(FIXED.length);
    this.fields = rest.map((f) => new TextColumnBuilder(f.type, capacity));
    for (const [i, f] of rest.entries()) this.fieldIndex.set(f.name, i);
    this.seen = new Uint8Array(rest.length);
  }

  /** Appends one entry of `stream`. */
  append(stream: string, id: string, kv: readonly string[]): void {
    const i = this.rows++;
    this.stream.append(stream);
    this.id.append(id);
    const ms = Number(id.slice(0, id.indexOf('-'))) * 1000;
    const halves = this.halves;
    halves[2 * i] = (ms % TWO_32) | 0;
    halves[2 * i + 1] = Math.floor(ms / TWO_32);
    if (this.json) {
      let text = '{';
      for (let k = 0; k + 1 < kv.length; k += 2) text += `${k === 0 ? '' : ','}${JSON.stringify(kv[k])}:${JSON.stringify(kv[k + 1])}`;
      this.fields[0]!.append(`${text}}`);
      return;
    }
    this.seen.fill(0);
    for (let k = 0; k + 1 < kv.length; k += 2) {
      const c = this.fieldIndex.get(kv[k]!);
      if (c === undefined || this.seen[c] === 1) continue;
      this.seen[c] = 1;
      if (!this.fields[c]!.append(kv[k + 1]!)) this.malformed++;
    }
    for (let c = 0; c < this.fields.length; c++) if (this.seen[c] === 0) this.fields[c]!.appendNull();
  }

  /** Rows appended so far. */
  get size(): number {
    return this.rows;
  }

  /** The built batch (the builder must not be used afterwards). */
  build(): ColumnarBatch {
    const n = this.rows;
    const columns: ColumnVector[] = [
      this.stream.build(),
      this.id.build(),
      { type: FIXED[2]!.type, length: n, validity: null, values: this.stamps.subarray(0, n) },
      ...this.fields.map((f) => f.build()),
    ];
    return makeBatch(this.schema, columns, n);
  }
}

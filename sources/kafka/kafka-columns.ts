import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import { types } from '../../common/data-type.js';
import type { Schema } from '../../common/schema.js';
import { encodeUtf8 } from '../../common/utf8.js';
import type { RawMessage } from './kafka-cluster.js';
import { KAFKA_HEADERS_TYPE } from './kafka-schema.js';

const TWO32 = 4294967296;

/** Growable bytes-plus-offsets column (binary or utf8). */
class BytesColumn {
  private parts: Uint8Array[] = [];
  private offsets = new Int32Array(1025);
  private validity = new Uint8Array(1025);
  private hasNull = false;
  private total = 0;
  length = 0;

  push(b: Uint8Array | null): void {
    const i = this.length;
    if (i + 1 >= this.offsets.length) {
      const o = new Int32Array(this.offsets.length * 2);
      o.set(this.offsets);
      this.offsets = o;
      const v = new Uint8Array(o.length);
      v.set(this.validity);
      this.validity = v;
    }
    if (b === null) this.hasNull = true;
    else {
      this.validity[i] = 1;
      this.parts.push(b);
      this.total += b.length;
    }
    this.length = i + 1;
    this.offsets[i + 1] = this.total;
  }

  finish(type: DataType): ColumnVector {
    const values = new Uint8Array(this.total);
    let pos = 0;
    for (const p of this.parts) {
      values.set(p, pos);
      pos += p.length;
    }
    const n = this.length;
    return { type, length: n, validity: this.hasNull ? this.validity.slice(0, n) : null, values, offsets: this.offsets.slice(0, n + 1) };
  }
}

/**
 * Builds the Kafka source's columns for records of one topic-partition, in offset order,
 * directly into typed arrays (the topic as a one-entry dictionary). Used by the split
 * reader in worker threads; records never become rows.
 */
export class KafkaColumnsBuilder {
  private readonly schema: Schema;
  private readonly topic: string;
  private readonly partition: number;
  private readonly includeHeaders: boolean;
  private keys = new BytesColumn();
  private values = new BytesColumn();
  private offsets: number[] = [];
  private times: number[] = [];
  private timeTypes: number[] = [];
  private headerCounts: number[] = [];
  private headerKeys = new BytesColumn();
  private headerValues = new BytesColumn();

  constructor(schema: Schema, topic: string, partition: number, includeHeaders: boolean) {
    this.schema = schema;
    this.topic = topic;
    this.partition = partition;
    this.includeHeaders = includeHeaders;
  }

  /** Rows added since the last flush. */
  get rows(): number {
    return this.offsets.length;
  }

  /** Appends one record. */
  add(m: RawMessage): void {
    this.keys.push(m.key);
    this.values.push(m.value);
    this.offsets.push(Number(m.offset));
    this.times.push(Number(m.timestamp));
    this.timeTypes.push(m.batchContext?.timestampType === 1 ? 1 : 0);
    if (this.includeHeaders) {
      let n = 0;
      for (const [k, v] of Object.entries(m.headers)) {
        if (v === undefined) continue;
        for (const one of Array.isArray(v) ? v : [v]) {
          this.headerKeys.push(encodeUtf8(k));
          this.headerValues.push(one ?? null);
          n++;
        }
      }
      this.headerCounts.push(n);
    }
  }

  /** The rows added so far as a batch; the builder starts empty again. */
  flush(): ColumnarBatch {
    const n = this.offsets.length;
    const off = new BigInt64Array(n);
    const ts = new BigInt64Array(n);
    const oh = new Int32Array(off.buffer);
    const th = new Int32Array(ts.buffer);
    for (let i = 0; i < n; i++) {
      const o = this.offsets[i] as number;
      oh[2 * i] = (o % TWO32) | 0;
      oh[2 * i + 1] = Math.floor(o / TWO32);
      const us = (this.times[i] as number) * 1000;
      th[2 * i] = (us % TWO32) | 0;
      th[2 * i + 1] = Math.floor(us / TWO32);
    }
    const topicDict: ColumnVector = {
      type: types.utf8,
      length: 1,
      validity: null,
      values: encodeUtf8(this.topic),
      offsets: Int32Array.of(0, encodeUtf8(this.topic).length),
    };
    const columns: ColumnVector[] = [
      this.keys.finish(types.binary),
      this.values.finish(types.binary),
      { type: types.utf8, length: n, validity: null, values: new Int32Array(n), dictionary: topicDict },
      { type: types.int32, length: n, validity: null, values: new Int32Array(n).fill(this.partition) },
      { type: types.int64, length: n, validity: null, values: off },
      { type: this.schema.fields[5]?.type ?? types.timestamp('us', 'UTC'), length: n, validity: null, values: ts },
      { type: types.int32, length: n, validity: null, values: Int32Array.from(this.timeTypes) },
    ];
    if (this.includeHeaders) {
      const listOffsets = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) listOffsets[i + 1] = (listOffsets[i] as number) + (this.headerCounts[i] as number);
      const hk = this.headerKeys.finish(types.utf8);
      const hv = this.headerValues.finish(types.binary);
      const element = KAFKA_HEADERS_TYPE.kind === 'list' ? KAFKA_HEADERS_TYPE.element : KAFKA_HEADERS_TYPE;
      const child: ColumnVector = { type: element, length: hk.length, validity: null, values: new Uint8Array(0), children: [hk, hv] };
      columns.push({ type: KAFKA_HEADERS_TYPE, length: n, validity: null, values: new Uint8Array(0), offsets: listOffsets, child });
    }
    this.keys = new BytesColumn();
    this.values = new BytesColumn();
    this.offsets = [];
    this.times = [];
    this.timeTypes = [];
    this.headerCounts = [];
    this.headerKeys = new BytesColumn();
    this.headerValues = new BytesColumn();
    return { schema: this.schema, columns, numRows: n };
  }
}

import type { IHeaders, Message } from 'kafkajs';
import type { ColumnarBatch, ColumnVector } from '../../common/column-vector.js';
import { SluiceError } from '../../common/errors.js';
import { decodeUtf8 } from '../../common/utf8.js';
import type { KafkaSinkColumns } from './kafka-sink-schema.js';

/** A reader of row i of a string or binary column as a Buffer (null for a null row). */
type BytesAt = (i: number) => Buffer | null;

/**
 * Row bytes of a utf8 or binary vector as Buffers that share the vector's memory (no copy).
 * A dictionary-encoded column makes one Buffer per dictionary entry and reuses it.
 */
function bytesReader(v: ColumnVector): BytesAt {
  const valid = v.validity;
  if (v.dictionary !== undefined) {
    const dict = bytesReader(v.dictionary);
    const idx = v.values as Int32Array;
    const cache: (Buffer | null | undefined)[] = new Array(v.dictionary.length);
    return (i) => {
      if (valid !== null && valid[i] === 0) return null;
      const d = idx[i] as number;
      let b = cache[d];
      if (b === undefined) {
        b = dict(d);
        cache[d] = b;
      }
      return b;
    };
  }
  const bytes = v.values as Uint8Array;
  const offsets = v.offsets as Int32Array;
  return (i) => {
    if (valid !== null && valid[i] === 0) return null;
    const start = offsets[i] as number;
    return Buffer.from(bytes.buffer, bytes.byteOffset + start, (offsets[i + 1] as number) - start);
  };
}

/** A reader of row i of a utf8 column as a string (dictionary entries decoded once). */
function stringReader(v: ColumnVector): (i: number) => string | null {
  const bytes = bytesReader(v);
  const decoded = new Map<Buffer, string>();
  return (i) => {
    const b = bytes(i);
    if (b === null) return null;
    if (v.dictionary === undefined) return decodeUtf8(b, 0, b.length);
    let s = decoded.get(b);
    if (s === undefined) {
      s = decodeUtf8(b, 0, b.length);
      decoded.set(b, s);
    }
    return s;
  };
}

/** A reader of row i of an `array<struct<key, value>>` column as kafkajs headers (repeated keys become arrays). */
function headersReader(v: ColumnVector): (i: number) => IHeaders | undefined {
  const valid = v.validity;
  const offsets = v.offsets as Int32Array;
  const entries = v.child as ColumnVector;
  const [k, val] = entries.children as [ColumnVector, ColumnVector];
  const keyAt = stringReader(k);
  const valueAt = bytesReader(val);
  return (i) => {
    if (valid !== null && valid[i] === 0) return undefined;
    const from = offsets[i] as number;
    const to = offsets[i + 1] as number;
    if (from === to) return undefined;
    const out: IHeaders = {};
    for (let e = from; e < to; e++) {
      if (entries.validity !== null && entries.validity[e] === 0) continue;
      const key = keyAt(e);
      if (key === null) throw new SluiceError('INVALID_ARGUMENT', 'Kafka sink: a header has a null key. Header keys must be non-null strings.');
      const value = valueAt(e) ?? Buffer.alloc(0);
      const prev = out[key];
      out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev as Buffer, value];
    }
    return out;
  };
}

/** Bytes a record adds to a produce request besides its key, value and headers (record header, roughly). */
const RECORD_OVERHEAD = 24;

/**
 * Turns rows `from..` of one result batch into kafkajs messages grouped by topic, reading
 * the columns directly: keys and values are Buffers over the batch's own bytes, topics are
 * decoded once per dictionary entry, partitions come from the int column. Stops after the
 * row that brings the messages' size to `maxBytes` (at least one row), so a produce
 * request stays under the broker's size limit. Returns the next row and the bytes added.
 * A row with a null topic (and no `topic` option) fails the batch, as in Spark.
 */
export function batchToMessages(
  batch: ColumnarBatch,
  cols: KafkaSinkColumns,
  topicOption: string | null,
  out: Map<string, Message[]>,
  from: number,
  maxBytes: number,
): { next: number; bytes: number } {
  const n = batch.numRows;
  let bytes = 0;
  const column = (i: number): ColumnVector => batch.columns[i] as ColumnVector;
  const valueAt = bytesReader(column(cols.value));
  const keyAt = cols.key >= 0 ? bytesReader(column(cols.key)) : null;
  const topicAt = cols.topic >= 0 && topicOption === null ? stringReader(column(cols.topic)) : null;
  const part = cols.partition >= 0 ? column(cols.partition) : null;
  const partValues = part?.values as Int32Array | undefined;
  const headersAt = cols.headers >= 0 ? headersReader(column(cols.headers)) : null;
  let lastTopic = topicOption;
  let list = lastTopic === null ? undefined : out.get(lastTopic);
  if (lastTopic !== null && list === undefined) {
    list = [];
    out.set(lastTopic, list);
  }
  let i = from;
  for (; i < n && bytes < maxBytes; i++) {
    if (topicAt !== null) {
      const topic = topicAt(i);
      if (topic === null)
        throw new SluiceError('INVALID_ARGUMENT', "Kafka sink: a row has a null topic. Set .option('topic', 'name'), or filter out rows whose topic is null.");
      if (topic !== lastTopic) {
        lastTopic = topic;
        list = out.get(topic);
        if (list === undefined) {
          list = [];
          out.set(topic, list);
        }
      }
    }
    const key = keyAt === null ? null : keyAt(i);
    const value = valueAt(i);
    bytes += RECORD_OVERHEAD + (key?.length ?? 0) + (value?.length ?? 0);
    const m: Message = { key, value };
    if (partValues !== undefined && (part?.validity === null || part?.validity[i] === 1)) m.partition = partValues[i] as number;
    if (headersAt !== null) {
      const h = headersAt(i);
      if (h !== undefined) {
        m.headers = h;
        for (const [k, v] of Object.entries(h)) bytes += k.length + (Array.isArray(v) ? v.reduce((s, x) => s + x.length, 0) : (v?.length ?? 0));
      }
    }
    (list as Message[]).push(m);
  }
  return { next: i, bytes };
}

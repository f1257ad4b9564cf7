import type { Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../../../../common/column-vector.js';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { vectorFromValues } from '../../../../common/vector-from-values.js';
import { isFenced, isTransient } from '../../../../sinks/kafka/kafka-errors.js';
import { batchToMessages } from '../../../../sinks/kafka/kafka-messages.js';
import { kafkaSinkColumns } from '../../../../sinks/kafka/kafka-sink-schema.js';
import { kafkaSinkOptions } from '../../../../sinks/kafka/kafka-sink-options.js';

const headersType = types.list(
  types.struct([
    { name: 'key', type: types.utf8, nullable: true },
    { name: 'value', type: types.binary, nullable: true },
  ]),
);

function dictionaryTopics(values: readonly (number | null)[], dict: readonly string[]): ColumnVector {
  const d = vectorFromValues(types.utf8, dict);
  const validity = values.some((v) => v === null) ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : null;
  return { type: types.utf8, length: values.length, validity, values: Int32Array.from(values, (v) => v ?? 0), dictionary: d };
}

describe('batchToMessages', () => {
  const schema = schemaOf([
    field('key', types.utf8),
    field('value', types.binary),
    field('topic', types.utf8),
    field('partition', types.int32),
    field('headers', headersType),
  ]);
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const batch = {
    schema,
    numRows: 3,
    columns: [
      vectorFromValues(types.utf8, ['a', null, 'c']),
      vectorFromValues(types.binary, [enc('v1'), enc('v2'), null]),
      dictionaryTopics([1, 0, 1], ['t0', 't1']),
      vectorFromValues(types.int32, [2, null, 0]),
      vectorFromValues(headersType, [
        [
          { key: 'h', value: enc('x') },
          { key: 'h', value: enc('y') },
        ],
        null,
        [],
      ]),
    ],
  };

  it('reads every part of a record from the columns, grouping by topic', () => {
    const cols = kafkaSinkColumns(schema, null);
    const out = new Map<string, Message[]>();
    const r = batchToMessages(batch, cols, null, out, 0, Number.POSITIVE_INFINITY);
    expect(r.next).toBe(3);
    const t1 = out.get('t1') as Message[];
    expect(t1.map((m) => [m.key?.toString() ?? null, m.value?.toString() ?? null, m.partition])).toEqual([
      ['a', 'v1', 2],
      ['c', null, 0],
    ]);
    expect(t1[0]?.headers).toEqual({ h: [Buffer.from('x'), Buffer.from('y')] });
    expect(t1[1]?.headers).toBeUndefined();
    const t0 = out.get('t0') as Message[];
    expect(t0.map((m) => [m.key, m.value?.toString(), m.partition])).toEqual([[null, 'v2', undefined]]);
  });

  it('the topic option overrides the topic column; a byte budget stops after the row that reaches it', () => {
    const cols = kafkaSinkColumns(schema, 'only');
    const out = new Map<string, Message[]>();
    const r = batchToMessages(batch, cols, 'only', out, 0, 1);
    expect(r.next).toBe(1);
    const r2 = batchToMessages(batch, cols, 'only', out, r.next, Number.POSITIVE_INFINITY);
    expect(r2.next).toBe(3);
    expect([...out.keys()]).toEqual(['only']);
    expect(out.get('only')?.length).toBe(3);
  });

  it('a null topic fails with the fix named', () => {
    const b = {
      ...batch,
      columns: [batch.columns[0], batch.columns[1], dictionaryTopics([0, null, 0], ['t0']), batch.columns[3], batch.columns[4]] as ColumnVector[],
    };
    expect(() => batchToMessages(b, kafkaSinkColumns(schema, null), null, new Map(), 0, Number.POSITIVE_INFINITY)).toThrow(/null topic.*option\('topic'/);
  });
});

describe('kafka sink options', () => {
  it('names the closest option and refuses settings the sink owns', () => {
    expect(() => kafkaSinkOptions({ 'kafka.bootstrap.servers': 'h:1', exactlyonce: true })).toThrow(/Unknown option 'exactlyonce'.*'exactlyOnce'/);
    expect(() => kafkaSinkOptions({ 'kafka.bootstrap.servers': 'h:1', 'kafka.transactional.id': 'x' })).toThrow(/transactionalIdPrefix/);
    expect(() => kafkaSinkOptions({ 'kafka.bootstrap.servers': 'h:1', 'kafka.compression.type': 'zstd' })).toThrow(/none and gzip/);
    const o = kafkaSinkOptions({ 'kafka.bootstrap.servers': 'h:1, h:2', topic: 't', exactlyOnce: 'true', 'kafka.retries': 5 });
    expect(o.client.brokers).toEqual(['h:1', 'h:2']);
    expect(o.exactlyOnce).toBe(true);
    expect(o.markerTopic).toBe('t');
    expect(o.producer.retry?.retries).toBe(5);
    expect(o.producer.retry?.initialRetryTime).toBe(20);
  });
});

describe('kafka sink error classes', () => {
  it('retries a batch on unavailability (also when kafkajs wraps it as non-retriable), never when fenced', () => {
    const named = (name: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(name), { name, ...extra });
    expect(isTransient(named('KafkaJSGroupCoordinatorNotFound'))).toBe(true);
    expect(isTransient(named('KafkaJSNonRetriableError', { cause: named('KafkaJSConnectionError') }))).toBe(true);
    expect(isTransient(named('KafkaJSProtocolError', { type: 'NOT_COORDINATOR', retriable: true }))).toBe(true);
    expect(isTransient(named('KafkaJSProtocolError', { type: 'MESSAGE_TOO_LARGE', retriable: false }))).toBe(false);
    const fenced = named('KafkaJSProtocolError', { type: 'INVALID_PRODUCER_EPOCH', retriable: false });
    expect(isFenced(named('KafkaJSNonRetriableError', { cause: fenced }))).toBe(true);
    expect(isTransient(named('KafkaJSNumberOfRetriesExceeded', { cause: fenced }))).toBe(false);
  });
});

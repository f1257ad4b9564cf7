import { types } from '../../common/data-type.js';
import type { Schema } from '../../common/schema.js';
import { field, schemaOf } from '../../common/schema.js';

/** The type of the `headers` column: `array<struct<key: string, value: binary>>`, as Spark's. */
export const KAFKA_HEADERS_TYPE = types.list(
  types.struct([
    { name: 'key', type: types.utf8, nullable: false },
    { name: 'value', type: types.binary, nullable: true },
  ]),
);

/**
 * The schema of the Kafka source, as Spark's: `key` and `value` (binary, null when the
 * record has none), `topic`, `partition`, `offset`, `timestamp` (microsecond timestamp,
 * UTC, from the record's millisecond time), `timestampType` (0 = create time, 1 = log
 * append time), and `headers` when `includeHeaders` is true.
 */
export function kafkaSchema(includeHeaders: boolean): Schema {
  return schemaOf([
    field('key', types.binary, true),
    field('value', types.binary, true),
    field('topic', types.utf8, false),
    field('partition', types.int32, false),
    field('offset', types.int64, false),
    field('timestamp', types.timestamp('us', 'UTC'), false),
    field('timestampType', types.int32, false),
    ...(includeHeaders ? [field('headers', KAFKA_HEADERS_TYPE, true)] : []),
  ]);
}

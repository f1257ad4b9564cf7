import type { DataType } from '../../common/data-type.js';
import { typeName } from '../../common/data-type.js';
import { SluiceError } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';

/** Where the Kafka record parts are in a batch: column indexes, -1 when absent (or overridden by the `topic` option). */
export interface KafkaSinkColumns {
  readonly key: number;
  readonly value: number;
  readonly topic: number;
  readonly partition: number;
  readonly headers: number;
}

function isBytes(t: DataType): boolean {
  return t.kind === 'utf8' || t.kind === 'binary';
}

/** True for `array<struct<key: string, value: binary or string>>`. */
function isHeaders(t: DataType): boolean {
  if (t.kind !== 'list' || t.element.kind !== 'struct') return false;
  const [k, v] = t.element.fields;
  return t.element.fields.length === 2 && k?.name === 'key' && k.type.kind === 'utf8' && v?.name === 'value' && isBytes(v.type);
}

function refuse(message: string): SluiceError {
  return new SluiceError('INVALID_PLAN', `Kafka sink: ${message}`);
}

/**
 * Checks a query's result schema against Spark's rules for the Kafka sink and returns
 * where each part of a record is:
 * - `value` (string or binary) is required; a null value writes a tombstone.
 * - `key` (string or binary) is optional.
 * - `topic` (string) is required unless the `topic` option is set; the option overrides
 *   the column (Spark: "the topic option overrides the topic column").
 * - `partition` (int) is optional; absent or null lets the producer's partitioner choose
 *   (murmur2 of the key, as Java clients; round robin for null keys).
 * - `headers` (`array<struct<key: string, value: binary>>`, value string also accepted) is optional.
 * Other columns are ignored, as in Spark. Errors name the column, its type and the fix.
 */
export function kafkaSinkColumns(schema: Schema, topicOption: string | null): KafkaSinkColumns {
  const at = (name: string): number => schema.fields.findIndex((f) => f.name === name);
  const typeAt = (i: number): DataType => (schema.fields[i] as { type: DataType }).type;
  const value = at('value');
  const columns = schema.fields.map((f) => `${f.name} ${typeName(f.type)}`).join(', ');
  if (value < 0)
    throw refuse(`the result has no 'value' column (it has: ${columns}). Name the payload column value, e.g. select(col('x').cast('string').alias('value')).`);
  if (!isBytes(typeAt(value)))
    throw refuse(`column 'value' must be string or binary, it is ${typeName(typeAt(value))}. Cast it: col('value').cast('string'), or to_json(...).`);
  const key = at('key');
  if (key >= 0 && !isBytes(typeAt(key)))
    throw refuse(`column 'key' must be string or binary, it is ${typeName(typeAt(key))}. Cast it: col('key').cast('string').`);
  let topic = -1;
  if (topicOption === null) {
    topic = at('topic');
    if (topic < 0) throw refuse(`there is no 'topic' column and no 'topic' option. Set .option('topic', 'name'), or add a string column named topic.`);
    if (typeAt(topic).kind !== 'utf8') throw refuse(`column 'topic' must be a string, it is ${typeName(typeAt(topic))}.`);
  }
  const partition = at('partition');
  if (partition >= 0 && typeAt(partition).kind !== 'int32')
    throw refuse(`column 'partition' must be int, it is ${typeName(typeAt(partition))}. Cast it: col('partition').cast('int').`);
  const headers = at('headers');
  if (headers >= 0 && !isHeaders(typeAt(headers)))
    throw refuse(`column 'headers' must be array<struct<key:string,value:binary>>, it is ${typeName(typeAt(headers))}.`);
  return { key, value, topic, partition, headers };
}

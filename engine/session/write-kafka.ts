import type { ColumnarBatch } from '../../common/column-vector.js';
import { invalidArgument } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import type { WriteRequest } from '../../dataframe/query-executor.js';
import { KafkaSink } from '../../sinks/kafka/kafka-sink.js';

/**
 * The batch write to Kafka (`df.write.format('kafka').option(...).save()`): validates the
 * options and the schema before any row is computed, then sends every row (see
 * {@link KafkaSink.writeAll}). As in Spark, save modes append and error (the default) are
 * accepted and both append to the topics; overwrite and ignore are refused.
 */
export async function writeKafka(batches: AsyncIterable<ColumnarBatch>, schema: Schema, request: WriteRequest): Promise<void> {
  if (request.mode === 'overwrite' || request.mode === 'ignore')
    throw invalidArgument(`Save mode '${request.mode}' is not allowed for Kafka: records can only be appended. Use mode('append') (or the default).`);
  if (request.partitionBy.length > 0) throw invalidArgument("partitionBy() does not apply to Kafka; write a 'partition' column instead.");
  const sink = new KafkaSink(request.options);
  try {
    await sink.writeAll(batches, schema);
  } finally {
    await sink.stop();
  }
}

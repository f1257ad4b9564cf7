import type { Schema } from '../../common/schema.js';
import { buildConnectorScan, buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { TopicPartition } from './kafka-offsets.js';
import type { KafkaSourceOptions } from './kafka-options.js';
import { kafkaSplitData } from './kafka-split-reader.js';

/** The plan reading the given offset ranges (`[from, until)` per partition): one connector split per partition, or no rows. */
export function kafkaScanPlan(
  options: KafkaSourceOptions,
  schema: Schema,
  ranges: readonly { readonly tp: TopicPartition; readonly from: number; readonly until: number }[],
  description: string,
): LogicalPlan {
  if (ranges.length === 0) return buildLocalRelation(schema, []);
  const splits = ranges.map((r) =>
    kafkaSplitData({
      topic: r.tp.topic,
      partition: r.tp.partition,
      from: r.from,
      until: r.until,
      failOnDataLoss: options.failOnDataLoss,
      includeHeaders: options.includeHeaders,
      client: options.client,
    }),
  );
  return buildConnectorScan('kafka', splits, schema, description);
}

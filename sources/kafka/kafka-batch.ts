import { invalidArgument } from '../../common/errors.js';
import type { ScanOptions } from '../../common/connector-options.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { closeCluster } from './kafka-cluster.js';
import type { TopicPartition } from './kafka-offsets.js';
import { offsetOf, partitionsOf, tpName } from './kafka-offsets.js';
import { KafkaOffsetReader } from './kafka-offset-reader.js';
import { kafkaSourceOptions } from './kafka-options.js';
import { kafkaScanPlan } from './kafka-scan-plan.js';
import { kafkaSchema } from './kafka-schema.js';

/**
 * The plan of a batch read, `read.format('kafka')...load()`: resolves `startingOffsets`
 * (default earliest) and `endingOffsets` (default latest), or their timestamp variants,
 * once, and reads every subscribed partition's range `[start, end)` with one worker split
 * per partition. The offsets are fixed here, so running the DataFrame twice reads the same
 * records (while Kafka keeps them).
 */
export async function kafkaBatchPlan(options: ScanOptions): Promise<LogicalPlan> {
  const opts = kafkaSourceOptions(options, 'batch');
  const reader = new KafkaOffsetReader(opts.client, opts.subscription);
  try {
    const start = await reader.resolve(opts.starting, 'startingOffsets');
    const end = await reader.resolve(opts.ending, 'endingOffsets');
    const ranges: { tp: TopicPartition; from: number; until: number }[] = [];
    for (const tp of partitionsOf(end)) {
      const from = offsetOf(start, tp) ?? 0;
      const until = offsetOf(end, tp) as number;
      if (until < from)
        throw invalidArgument(`endingOffsets ${until} of ${tpName(tp)} is before its startingOffsets ${from}; a batch read needs start <= end.`);
      if (until > from) ranges.push({ tp, from, until });
    }
    return kafkaScanPlan(opts, kafkaSchema(opts.includeHeaders), ranges, `kafka[${JSON.stringify(opts.subscription)}]`);
  } finally {
    await closeCluster(opts.client);
  }
}

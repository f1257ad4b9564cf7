import { invalidArgument, SluiceError } from '../../common/errors.js';
import type { KafkaClientConfig } from './kafka-client-config.js';
import type { KafkaCluster } from './kafka-cluster.js';
import { withRetries } from './kafka-cluster.js';
import type { PartitionOffsets, TopicPartition } from './kafka-offsets.js';
import { EARLIEST, LATEST, offsetOf, offsetsFrom, partitionsOf, tpName } from './kafka-offsets.js';
import type { KafkaOffsetSpec, KafkaSubscription } from './kafka-options.js';

/** Earliest and latest offsets of the subscribed partitions, read at one moment. */
export interface PartitionRanges {
  readonly earliest: PartitionOffsets;
  readonly latest: PartitionOffsets;
}

/**
 * The driver's view of Kafka for the source (Spark's KafkaOffsetReader): which
 * partitions the subscription covers right now (fresh metadata each call, so new topics
 * and partitions appear), and their earliest, latest and by-timestamp offsets. Every call
 * retries through broker outages (see withRetries).
 */
export class KafkaOffsetReader {
  private readonly config: KafkaClientConfig;
  private readonly subscription: KafkaSubscription;

  constructor(config: KafkaClientConfig, subscription: KafkaSubscription) {
    this.config = config;
    this.subscription = subscription;
  }

  /** The topic-partitions the subscription covers now, sorted. Topics that do not exist yet have none. */
  private async partitions(cluster: KafkaCluster): Promise<TopicPartition[]> {
    const md = await cluster.metadata({ topics: [] });
    if (!md?.topicMetadata) throw new SluiceError('SOURCE_UNAVAILABLE', 'Kafka returned no metadata.', { domain: 'external', retryable: true });
    const existing = new Map(md.topicMetadata.map((t) => [t.topic, t.partitionMetadata.map((p) => p.partitionId)]));
    const sub = this.subscription;
    let topics: string[];
    if (sub.kind === 'subscribe') topics = sub.topics.filter((t) => existing.has(t));
    else if (sub.kind === 'assign') topics = Object.keys(sub.partitions).filter((t) => existing.has(t));
    else {
      const re = new RegExp(`^(?:${sub.pattern})$`);
      topics = [...existing.keys()].filter((t) => !t.startsWith('__') && re.test(t));
    }
    if (topics.length === 0) return [];
    await cluster.addMultipleTargetTopics(topics);
    await cluster.refreshMetadata();
    const out: TopicPartition[] = [];
    for (const topic of topics.sort()) {
      const have = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
      const want = sub.kind === 'assign' ? (sub.partitions[topic] ?? []).filter((p) => have.includes(p)) : have;
      for (const partition of [...want].sort((a, b) => a - b)) out.push({ topic, partition });
    }
    return out;
  }

  private async listOffsets(
    cluster: KafkaCluster,
    tps: readonly TopicPartition[],
    at: { fromBeginning: boolean } | { fromTimestamp: number },
  ): Promise<PartitionOffsets> {
    const byTopic = new Map<string, number[]>();
    for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    if (byTopic.size === 0) return {};
    const res = await cluster.fetchTopicsOffset([...byTopic].map(([topic, ps]) => ({ topic, partitions: ps.map((partition) => ({ partition })), ...at })));
    return offsetsFrom(res.flatMap((t) => t.partitions.map((p) => [{ topic: t.topic, partition: p.partition }, Number(p.offset)] as const)));
  }

  /** Earliest and latest offsets of every subscribed partition. */
  async ranges(): Promise<PartitionRanges> {
    return withRetries(this.config, 'listing partition offsets', async (cluster) => {
      const tps = await this.partitions(cluster);
      const earliest = await this.listOffsets(cluster, tps, { fromBeginning: true });
      const latest = await this.listOffsets(cluster, tps, { fromBeginning: false });
      return { earliest, latest };
    });
  }

  /**
   * Resolves a starting or ending position to concrete offsets for every subscribed
   * partition: `earliest`/`latest`; per-partition JSON (-2 earliest, -1 latest), which
   * must name every subscribed partition (as Spark requires); or timestamps, where each
   * partition gets its first offset whose record time is at or after the timestamp, or
   * its latest offset when no record is that new (Spark's `latest` strategy).
   */
  async resolve(spec: KafkaOffsetSpec, option: string): Promise<PartitionOffsets> {
    const { earliest, latest } = await this.ranges();
    const tps = partitionsOf(latest);
    switch (spec.kind) {
      case 'earliest':
        return earliest;
      case 'latest':
        return latest;
      case 'offsets': {
        const missing = tps.filter((tp) => offsetOf(spec.offsets, tp) === undefined);
        if (missing.length > 0)
          throw invalidArgument(
            `${option} names specific offsets but not those of ${missing.map(tpName).join(', ')}. Give every subscribed partition an offset (-2 = earliest, -1 = latest).`,
          );
        return offsetsFrom(
          tps.map((tp) => {
            const o = offsetOf(spec.offsets, tp) as number;
            return [tp, o === EARLIEST ? (offsetOf(earliest, tp) as number) : o === LATEST ? (offsetOf(latest, tp) as number) : o] as const;
          }),
        );
      }
      case 'timestamp':
      case 'timestamps': {
        const groups = new Map<number, TopicPartition[]>();
        for (const tp of tps) {
          const ts = spec.kind === 'timestamp' ? spec.timestampMs : offsetOf(spec.timestamps, tp);
          if (ts === undefined) throw invalidArgument(`${option} has no timestamp for ${tpName(tp)}. Give every subscribed partition a timestamp.`);
          groups.set(ts, [...(groups.get(ts) ?? []), tp]);
        }
        const found: [TopicPartition, number][] = [];
        for (const [ts, group] of groups) {
          const offs = await withRetries(this.config, 'looking up offsets by timestamp', (c) => this.listOffsets(c, group, { fromTimestamp: ts }));
          for (const tp of group) {
            const o = offsetOf(offs, tp);
            found.push([tp, o === undefined || o < 0 ? (offsetOf(latest, tp) as number) : o]);
          }
        }
        return offsetsFrom(found);
      }
    }
  }
}

import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { SluiceError } from '../../common/errors.js';
import type { FileManager } from '../../common/log/file-manager.js';
import type { Schema } from '../../common/schema.js';
import type { ScanOptions } from '../../common/connector-options.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { Clock } from '../../scheduler/clock.js';
import type { Offset, ReadLimit, Source } from '../source.js';
import { kafkaScanPlan } from './kafka-scan-plan.js';
import { closeCluster } from './kafka-cluster.js';
import type { PartitionOffsets, TopicPartition } from './kafka-offsets.js';
import { asPartitionOffsets, offsetOf, offsetsFrom, partitionsOf, rateLimit, tpName } from './kafka-offsets.js';
import { KafkaInitialOffsetLog } from './kafka-initial-offset-log.js';
import { KafkaOffsetReader } from './kafka-offset-reader.js';
import type { KafkaSourceOptions } from './kafka-options.js';
import { kafkaSourceOptions } from './kafka-options.js';
import { kafkaSchema } from './kafka-schema.js';

/** Where the source keeps its initial offsets; null keeps them in memory. */
export interface KafkaSourceMetadata {
  readonly metadataPath: string;
  readonly fileManager: FileManager;
}

function sameOffsets(a: PartitionOffsets, b: PartitionOffsets): boolean {
  return (
    JSON.stringify(offsetsFrom(partitionsOf(a).map((tp) => [tp, offsetOf(a, tp) as number]))) ===
    JSON.stringify(offsetsFrom(partitionsOf(b).map((tp) => [tp, offsetOf(b, tp) as number])))
  );
}

/**
 * Spark's Kafka micro-batch source (`readStream.format('kafka')`).
 *
 * Offsets are `{"topic":{"partition":nextOffset}}` (see PartitionOffsets). The initial
 * offset resolves `startingOffsets` / `startingTimestamp` / `startingOffsetsByTimestamp`
 * once and logs it. `latestOffset` looks at fresh metadata every time, so partitions and
 * (for subscribePattern) topics created while the query runs join, starting from their
 * earliest offset as in Spark; it admits at most `maxOffsetsPerTrigger` (and the engine's
 * maxRows) offsets, split over partitions by backlog, and with `minOffsetsPerTrigger` it
 * waits until that many are available or `maxTriggerDelay` passed since the last batch.
 * `getBatch(start, end)` becomes a connector scan of one split per partition holding
 * exactly the offsets `[start, end)`, read in parallel by workers, so a replayed batch
 * reads the same records. Lost data (offsets deleted or a partition gone) fails the query
 * naming topic, partition and offsets, or with `failOnDataLoss=false` is skipped with a
 * warning. With `commitOffsetsToGroup`, `commit(end)` stores the processed offsets in that
 * consumer group, so lag tools (kafka-consumer-groups.sh...) show the query's lag.
 */
export class KafkaSource implements Source {
  readonly schema: Schema;
  readonly description: string;
  /** Group offsets are published as soon as a batch commits (see Source.commitAfterBatch). */
  readonly commitAfterBatch = true;
  /** The validated options. */
  readonly options: KafkaSourceOptions;
  private readonly reader: KafkaOffsetReader;
  private readonly log: KafkaInitialOffsetLog | null;
  private readonly clock: Clock;
  private initial: PartitionOffsets | null = null;
  private availableNowEnd: PartitionOffsets | null = null;
  private lastTriggerMs: number;
  private admin: Admin | null = null;

  constructor(options: ScanOptions, metadata: KafkaSourceMetadata | null, clock: Clock) {
    this.options = kafkaSourceOptions(options, 'stream');
    this.schema = kafkaSchema(this.options.includeHeaders);
    const sub = this.options.subscription;
    const what = sub.kind === 'subscribe' ? sub.topics.join(',') : sub.kind === 'subscribePattern' ? `pattern ${sub.pattern}` : JSON.stringify(sub.partitions);
    this.description = `KafkaSource[${sub.kind}=${what}]`;
    this.reader = new KafkaOffsetReader(this.options.client, sub);
    this.log = metadata === null ? null : new KafkaInitialOffsetLog(metadata.fileManager, metadata.metadataPath);
    this.clock = clock;
    this.lastTriggerMs = clock.now();
  }

  async initialOffset(): Promise<Offset> {
    if (this.initial === null) {
      const resolve = () => this.reader.resolve(this.options.starting, 'startingOffsets');
      this.initial = this.log === null ? await resolve() : await this.log.initial(resolve);
    }
    return this.initial;
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNowEnd = (await this.reader.ranges()).latest;
  }

  async latestOffset(start: Offset, limit: ReadLimit): Promise<Offset> {
    const from = asPartitionOffsets(start, this.description);
    const { earliest, latest } = await this.reader.ranges();
    const entries: [TopicPartition, number][] = [];
    for (const tp of partitionsOf(latest)) {
      const cap = this.availableNowEnd === null ? undefined : offsetOf(this.availableNowEnd, tp);
      if (this.availableNowEnd !== null && cap === undefined) continue;
      const end = Math.min(offsetOf(latest, tp) as number, cap ?? Number.MAX_SAFE_INTEGER);
      const begin = offsetOf(from, tp);
      if (begin !== undefined && end < begin)
        this.reportLoss(`the latest offset ${end} of ${tpName(tp)} is below the query's offset ${begin} (was the topic recreated?)`);
      entries.push([tp, end]);
    }
    for (const tp of partitionsOf(from)) {
      if (offsetOf(latest, tp) !== undefined) continue;
      this.reportLoss(`partition ${tpName(tp)} no longer exists (its topic was deleted?); records after offset ${offsetOf(from, tp)} cannot be read`);
      entries.push([tp, offsetOf(from, tp) as number]);
    }
    let until = offsetsFrom(entries);
    const beginOf = (tp: TopicPartition): number => offsetOf(from, tp) ?? offsetOf(earliest, tp) ?? 0;
    const available = partitionsOf(until).reduce((s, tp) => s + Math.max(0, (offsetOf(until, tp) as number) - beginOf(tp)), 0);
    const now = this.clock.now();
    const { minOffsetsPerTrigger: min, maxTriggerDelayMs } = this.options;
    if (min !== null && available < min && now - this.lastTriggerMs < maxTriggerDelayMs) return start;
    const max = Math.min(this.options.maxOffsetsPerTrigger ?? Number.POSITIVE_INFINITY, limit.maxRows ?? Number.POSITIVE_INFINITY);
    if (Number.isFinite(max)) until = rateLimit(max, from, until, beginOf);
    if (sameOffsets(until, from)) return start;
    this.lastTriggerMs = now;
    return until;
  }

  private reportLoss(detail: string): void {
    if (this.options.failOnDataLoss)
      throw new SluiceError('DATA_LOSS', `${this.description}: ${detail}. To skip lost data with a warning instead, set option failOnDataLoss to false.`);
    console.warn(`${this.description}: ${detail}; skipping because failOnDataLoss is false.`);
  }

  async getBatch(start: Offset | null, end: Offset): Promise<LogicalPlan> {
    // The first batch starts at the (logged) initial offsets, as in Spark.
    const from = asPartitionOffsets(start ?? (await this.initialOffset()), this.description);
    const until = asPartitionOffsets(end, this.description);
    const fresh = partitionsOf(until).filter((tp) => offsetOf(from, tp) === undefined);
    // Partitions that appeared since `start` are read from their earliest offset, as in Spark.
    const earliest = fresh.length > 0 ? (await this.reader.ranges()).earliest : {};
    const ranges: { tp: TopicPartition; from: number; until: number }[] = [];
    for (const tp of partitionsOf(until)) {
      const u = offsetOf(until, tp) as number;
      const f = offsetOf(from, tp) ?? offsetOf(earliest, tp) ?? 0;
      if (u < f) {
        this.reportLoss(`the logged end offset ${u} of ${tpName(tp)} is below its start ${f} (was the topic recreated?)`);
        continue;
      }
      if (u > f) ranges.push({ tp, from: f, until: u });
    }
    return kafkaScanPlan(this.options, this.schema, ranges, this.description);
  }

  async commit(end: Offset): Promise<void> {
    const group = this.options.commitGroup;
    if (group === null) return;
    const offsets = asPartitionOffsets(end, this.description);
    try {
      if (this.admin === null) {
        const c = this.options.client;
        this.admin = new Kafka({
          brokers: [...c.brokers],
          clientId: c.clientId,
          ssl: c.ssl,
          ...(c.sasl ? { sasl: { ...c.sasl } as never } : {}),
          logLevel: logLevel.NOTHING,
        }).admin();
        await this.admin.connect();
      }
      for (const topic of Object.keys(offsets)) {
        const partitions = Object.entries(offsets[topic] ?? {}).map(([p, o]) => ({ partition: Number(p), offset: String(o) }));
        await this.admin.setOffsets({ groupId: group, topic, partitions });
      }
    } catch (e) {
      // Group offsets are for monitoring only; the checkpoint is the source of truth.
      console.warn(`${this.description}: could not commit offsets to consumer group '${group}': ${(e as Error).message}`);
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = null;
    }
  }

  async stop(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
    await closeCluster(this.options.client);
  }
}

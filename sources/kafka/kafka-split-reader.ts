import type { ColumnarBatch } from '../../common/column-vector.js';
import type { ConnectorSplit } from '../../common/connector-split.js';
import { SluiceError } from '../../common/errors.js';
import type { SplitReadContext } from '../connector-split-reader.js';
import type { KafkaClientConfig } from './kafka-client-config.js';
import type { FetchedPartition, KafkaCluster } from './kafka-cluster.js';
import { visibleMessages, withRetries } from './kafka-cluster.js';
import { KafkaColumnsBuilder } from './kafka-columns.js';

/** One Kafka split: the records of one topic-partition with offsets in `[from, until)`. */
export interface KafkaSplit {
  readonly topic: string;
  readonly partition: number;
  readonly from: number;
  readonly until: number;
  readonly failOnDataLoss: boolean;
  readonly includeHeaders: boolean;
  readonly client: KafkaClientConfig;
}

/** The split as connector-scan data. */
export function kafkaSplitData(split: KafkaSplit): ConnectorSplit {
  return split as unknown as ConnectorSplit;
}

type FetchResult = { readonly kind: 'records'; readonly part: FetchedPartition } | { readonly kind: 'outOfRange' };

async function fetchOnce(cluster: KafkaCluster, s: KafkaSplit, offset: number): Promise<FetchResult> {
  await cluster.addMultipleTargetTopics([s.topic]);
  const leaders = cluster.findLeaderForPartitions(s.topic, [s.partition]);
  const nodeId = Object.keys(leaders)[0];
  if (nodeId === undefined) {
    // A partition newer than the cached metadata: load it and try again.
    await cluster.refreshMetadata();
    throw new SluiceError('SOURCE_UNAVAILABLE', `No leader known for ${s.topic}-${s.partition}.`, { domain: 'external', retryable: true });
  }
  const broker = await cluster.findBroker({ nodeId });
  try {
    const res = await broker.fetch({
      replicaId: -1,
      isolationLevel: s.client.isolationLevel,
      maxWaitTime: 200,
      minBytes: 1,
      maxBytes: s.client.fetchMaxBytes,
      topics: [{ topic: s.topic, partitions: [{ partition: s.partition, fetchOffset: String(offset), maxBytes: s.client.partitionFetchMaxBytes }] }],
    });
    const part = res.responses[0]?.partitions[0];
    if (part === undefined)
      throw new SluiceError('SOURCE_UNAVAILABLE', `Kafka returned no data for ${s.topic}-${s.partition}.`, { domain: 'external', retryable: true });
    return { kind: 'records', part };
  } catch (e) {
    const err = e as { name?: string; type?: string };
    if (err.name === 'KafkaJSOffsetOutOfRange' || err.type === 'OFFSET_OUT_OF_RANGE') return { kind: 'outOfRange' };
    throw e;
  }
}

async function partitionBounds(s: KafkaSplit): Promise<{ earliest: number; latest: number }> {
  return withRetries(s.client, `listing offsets of ${s.topic}-${s.partition}`, async (cluster) => {
    await cluster.addMultipleTargetTopics([s.topic]);
    const q = (fromBeginning: boolean) => cluster.fetchTopicsOffset([{ topic: s.topic, partitions: [{ partition: s.partition }], fromBeginning }]);
    const e = (await q(true))[0]?.partitions[0]?.offset;
    const l = (await q(false))[0]?.partitions[0]?.offset;
    return { earliest: Number(e ?? 0), latest: Number(l ?? 0) };
  });
}

function dataLoss(s: KafkaSplit, detail: string, ctx: SplitReadContext, lost: number): void {
  const what = `Kafka data was lost in topic '${s.topic}', partition ${s.partition}: ${detail} (this batch reads offsets ${s.from} to ${s.until - 1})`;
  if (s.failOnDataLoss)
    throw new SluiceError(
      'DATA_LOSS',
      `${what}. The records were deleted (retention, deleteRecords) or the topic was recreated before the query read them. To skip lost data with a warning instead, set option failOnDataLoss to false.`,
    );
  console.warn(`sluice: ${what}; skipping them because failOnDataLoss is false.`);
  ctx.addMetric('dataLossOffsets', Math.max(0, lost));
}

/**
 * Reads one Kafka split into columns (the connector split reader of `kafka`): fetches the
 * partition from `from` until `until` straight from its leader, skipping control records
 * (and aborted transactions under read_committed), and yields batches of about
 * `ctx.batchSize` rows. The same split always yields the same records while Kafka keeps
 * them. Records missing from the range (deleted, aged out, or a recreated topic) are
 * data loss: an error naming topic, partition and offsets, or with failOnDataLoss=false a
 * warning, a `dataLossOffsets` count, and the rest of the range. Fetches retry through
 * broker outages; a range that stays unreadable for `kafkaConsumer.pollTimeoutMs` fails.
 */
export async function* readKafkaSplit(split: ConnectorSplit, ctx: SplitReadContext): AsyncGenerator<ColumnarBatch> {
  const s = split as unknown as KafkaSplit;
  const out = new KafkaColumnsBuilder(ctx.schema, s.topic, s.partition, s.includeHeaders);
  let offset = s.from;
  let deadline = Date.now() + s.client.pollTimeoutMs;
  let yielded = false;
  while (offset < s.until) {
    const r = await withRetries(s.client, `fetching ${s.topic}-${s.partition} at offset ${offset}`, (c) => fetchOnce(c, s, offset));
    if (r.kind === 'outOfRange') {
      const { earliest, latest } = await partitionBounds(s);
      if (earliest > offset) {
        const upTo = Math.min(earliest, s.until);
        dataLoss(s, `offsets ${offset} to ${upTo - 1} are no longer available (the earliest offset is now ${earliest})`, ctx, upTo - offset);
        offset = upTo;
        continue;
      }
      dataLoss(s, `offsets ${offset} to ${s.until - 1} are beyond the end of the partition (its latest offset is ${latest})`, ctx, s.until - offset);
      break;
    }
    const { visible, lastOffset } = visibleMessages(s.topic, offset, r.part);
    for (const m of visible) {
      if (Number(m.offset) >= s.until) break;
      out.add(m);
    }
    if (lastOffset >= offset) {
      offset = lastOffset + 1;
      deadline = Date.now() + s.client.pollTimeoutMs;
      if (out.rows >= ctx.batchSize) {
        yielded = true;
        yield out.flush();
      }
      continue;
    }
    const end = Number(s.client.isolationLevel === 1 ? (r.part.lastStableOffset ?? r.part.highWatermark) : r.part.highWatermark);
    if (Number(r.part.highWatermark) <= offset) {
      dataLoss(s, `offsets ${offset} to ${s.until - 1} are beyond the end of the partition (its latest offset is ${end})`, ctx, s.until - offset);
      break;
    }
    if (Date.now() > deadline)
      throw new SluiceError(
        'SOURCE_UNAVAILABLE',
        `Timed out after ${s.client.pollTimeoutMs} ms reading topic '${s.topic}', partition ${s.partition} at offset ${offset} (the batch needs offsets up to ${s.until - 1}; the partition is readable up to ${end}). Raise kafkaConsumer.pollTimeoutMs if transactions stay open this long.`,
        { domain: 'external', retryable: true },
      );
  }
  if (out.rows > 0 || !yielded) yield out.flush();
}

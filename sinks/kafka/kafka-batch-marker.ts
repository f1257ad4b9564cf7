import type { Kafka, Offsets, PartitionOffset, RetryOptions } from 'kafkajs';
import { isTransient } from './kafka-errors.js';

/**
 * The committed-batch marker of the exactly-once Kafka sink: the offset that the consumer
 * group `groupId` has committed on partition 0 of `topic`, minus one, is the newest batch
 * id whose transaction committed (-1 when the group has none). The group is never joined
 * by a consumer; it only stores the marker, which Kafka commits atomically with a
 * transaction's records (TxnOffsetCommit). Retriable broker errors (coordinator loading or
 * moved, broker restarting) are retried with the sink's backoff.
 */
export async function readBatchMarker(kafka: Kafka, groupId: string, topic: string, retry: RetryOptions = {}): Promise<number> {
  const retries = retry.retries ?? 30;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchMarker(kafka, groupId, topic);
    } catch (e) {
      // kafkajs's fetchOffsets does not retry a coordinator that is loading or moved (NOT_COORDINATOR).
      if (!isTransient(e) || attempt >= retries) throw e;
      const wait = Math.min((retry.initialRetryTime ?? 100) * 2 ** attempt, retry.maxRetryTime ?? 2000);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

async function fetchMarker(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    const p0 = offsets.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === 0);
    const offset = p0 === undefined ? -1 : Number(p0.offset);
    // No commit reads as -1; a reset to earliest stores the sentinel -2: both mean "none".
    return offset > 0 ? offset - 1 : -1;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The `sendOffsets` argument that moves the marker to `batchId` inside a transaction. */
export function markerOffsets(groupId: string, topic: string, queryId: string, batchId: number): Offsets & { consumerGroupId: string } {
  // kafkajs's types omit it, but TxnOffsetCommit carries the metadata string to the broker.
  const partition: PartitionOffset & { metadata: string } = { partition: 0, offset: String(batchId + 1), metadata: `sluice query ${queryId} batch ${batchId}` };
  return {
    consumerGroupId: groupId,
    topics: [{ topic, partitions: [partition] }],
  };
}

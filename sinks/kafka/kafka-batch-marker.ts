import type { Kafka, Offsets, PartitionOffset } from 'kafkajs';

/**
 * The committed-batch marker of the exactly-once Kafka sink: the offset that the consumer
 * group `groupId` has committed on partition 0 of `topic`, minus one, is the newest batch
 * id whose transaction committed (-1 when the group has none). The group is never joined
 * by a consumer; it only stores the marker, which Kafka commits atomically with a
 * transaction's records (TxnOffsetCommit).
 */
export async function readBatchMarker(kafka: Kafka, groupId: string, topic: string): Promise<number> {
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

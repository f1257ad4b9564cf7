import type { Admin, Producer } from 'kafkajs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

/** A kafkajs admin + producer against a test broker, for creating topics and records in tests. */
export class KafkaTestData {
  readonly kafka: Kafka;
  private admin: Admin | null = null;
  private producer: Producer | null = null;

  constructor(readonly bootstrap: string) {
    this.kafka = new Kafka({
      clientId: 'sluice-test',
      brokers: [bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 2000 },
    });
  }

  async getAdmin(): Promise<Admin> {
    if (this.admin === null) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    return this.admin;
  }

  async createTopic(topic: string, numPartitions: number): Promise<void> {
    await (await this.getAdmin()).createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  }

  /** Sends records to explicit partitions; values are strings (or null), keys optional. */
  async send(
    topic: string,
    records: readonly { partition: number; value: string | null; key?: string | null; headers?: Record<string, string>; timestamp?: number }[],
  ): Promise<void> {
    if (this.producer === null) {
      this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await this.producer.connect();
    }
    await this.producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({
        partition: r.partition,
        key: r.key ?? null,
        value: r.value,
        ...(r.headers ? { headers: r.headers } : {}),
        ...(r.timestamp !== undefined ? { timestamp: String(r.timestamp) } : {}),
      })),
    });
  }

  /** Sends `count` records `${prefix}-${i}` to `partition`. */
  async sendSeq(topic: string, partition: number, prefix: string, from: number, count: number): Promise<void> {
    const recs = [];
    for (let i = from; i < from + count; i++) recs.push({ partition, value: `${prefix}-${i}`, key: `k${i}` });
    await this.send(topic, recs);
  }

  /**
   * Grows `topic` to `count` partitions and waits until clients see them. The producer is
   * renewed: kafkajs's producer silently drops records sent to a partition its metadata lacks.
   */
  async addPartitions(topic: string, count: number): Promise<void> {
    const admin = await this.getAdmin();
    await admin.createPartitions({ topicPartitions: [{ topic, count }] });
    for (let i = 0; i < 100; i++) {
      const md = await admin.fetchTopicMetadata({ topics: [topic] });
      if ((md.topics[0]?.partitions.length ?? 0) >= count) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.producer?.disconnect();
    this.producer = null;
  }

  /** Deletes the records of `partition` below `offset` (kafkajs needs the topic's metadata loaded first). */
  async deleteRecords(topic: string, partition: number, offset: number): Promise<void> {
    const admin = await this.getAdmin();
    await admin.fetchTopicOffsets(topic);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition, offset: String(offset) }] });
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    await this.admin?.disconnect();
    this.producer = null;
    this.admin = null;
  }
}

import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from './services.js';

/** One record read back from a topic. */
export interface ReadRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string | string[]>>;
}

/** Options of {@link readTopic}. */
export interface ReadTopicOptions {
  /** read_committed (default, what the exactly-once sink promises) or read_uncommitted (also aborted records). */
  readonly isolation?: 'read_committed' | 'read_uncommitted';
  /** Stop once this many records arrived and then `idleMs` passed without more. */
  readonly atLeast?: number;
  /** Quiet time that ends the read (default 1500 ms). */
  readonly idleMs?: number;
  /** Give up after this long (default 60 s). */
  readonly timeoutMs?: number;
}

/**
 * Reads every record of `topic` from the beginning with a fresh consumer group at the given
 * isolation level, until `atLeast` records arrived and the topic stayed quiet for `idleMs`
 * after the consumer's first completed fetch.
 */
export async function readTopic(bootstrap: string, topic: string, o: ReadTopicOptions = {}): Promise<ReadRecord[]> {
  const kafka = new Kafka({ clientId: 'kafka-read', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('read'), readUncommitted: o.isolation === 'read_uncommitted', maxWaitTimeInMs: 200 });
  const out: ReadRecord[] = [];
  // The quiet time counts from the first completed fetch (a group join can take seconds).
  let last = Number.POSITIVE_INFINITY;
  consumer.on(consumer.events.FETCH, () => {
    if (last === Number.POSITIVE_INFINITY) last = Date.now();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: t, partition, message }) => {
        const headers: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          if (v === undefined) continue;
          headers[k] = Array.isArray(v) ? v.map((x) => x.toString()) : v.toString();
        }
        out.push({ topic: t, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers });
        last = Date.now();
      },
    });
    const started = Date.now();
    const idle = o.idleMs ?? 1500;
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      if (Date.now() - started > (o.timeoutMs ?? 60_000)) break;
      if (out.length >= (o.atLeast ?? 0) && Date.now() - last >= idle) break;
    }
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/** Creates topics on the broker (and waits for their leaders). */
export async function createTopics(bootstrap: string, topics: readonly string[], numPartitions = 1): Promise<void> {
  const admin = new Kafka({ clientId: 'kafka-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

import { createRequire } from 'node:module';
import { Kafka, logLevel } from 'kafkajs';
import { SluiceError } from '../../common/errors.js';
import type { KafkaClientConfig } from './kafka-client-config.js';

/** A record as kafkajs's protocol layer decodes it. */
export interface RawMessage {
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: { readonly [key: string]: Buffer | Buffer[] | undefined };
  readonly isControlRecord: boolean;
  readonly batchContext?: { readonly timestampType?: number };
}

/** One partition of a fetch response, as kafkajs decodes it. */
export interface FetchedPartition {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: string;
  readonly lastStableOffset?: string;
  readonly abortedTransactions?: readonly unknown[];
  readonly messages: readonly RawMessage[];
}

interface KafkaBroker {
  fetch(request: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: FetchedPartition[] }[] }>;
}

/**
 * The part of kafkajs's internal Cluster the connector uses. kafkajs's public consumer
 * only reads through a consumer group (no manual partition assignment, no fetch of an
 * offset range), so the source talks to the cluster object kafkajs builds for its own
 * consumers: metadata, ListOffsets and Fetch requests, with kafkajs's protocol decoding.
 * Checked against kafkajs 2.2.4 (the last release line).
 */
export interface KafkaCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  metadata(args: { topics: string[] }): Promise<{ topicMetadata: { topic: string; partitionMetadata: { partitionId: number; leader: number }[] }[] }>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(args: { nodeId: string }): Promise<KafkaBroker>;
  fetchTopicsOffset(
    topics: { topic: string; partitions: { partition: number }[]; fromBeginning?: boolean; fromTimestamp?: number }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

const require = createRequire(import.meta.url);
/** kafkajs's Batch: drops records below the fetch offset, aborted transactions' records and control records. */
const Batch = require('kafkajs/src/consumer/batch.js') as new (
  topic: string,
  fetchedOffset: string,
  partition: FetchedPartition,
) => { readonly messages: readonly RawMessage[]; readonly messagesWithinOffset: readonly RawMessage[] };

/** The records of a fetched partition that a consumer sees: at or after `fetchOffset`, committed (for read_committed), no control records. */
export function visibleMessages(topic: string, fetchOffset: number, partition: FetchedPartition): { visible: readonly RawMessage[]; lastOffset: number } {
  const batch = new Batch(topic, String(fetchOffset), partition);
  const within = batch.messagesWithinOffset;
  const last = within.length === 0 ? -1 : Number((within[within.length - 1] as RawMessage).offset);
  return { visible: batch.messages, lastOffset: last };
}

function newKafka(config: KafkaClientConfig): Kafka {
  return new Kafka({
    brokers: [...config.brokers],
    clientId: config.clientId,
    ssl: config.ssl,
    ...(config.sasl ? { sasl: { ...config.sasl } as never } : {}),
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    // The connector retries whole operations itself (see withRetries); kafkajs logs retriable errors at ERROR.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logLevel.NOTHING,
  });
}

function createCluster(kafka: Kafka, isolationLevel: number): KafkaCluster {
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const make = key === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[key];
  if (typeof make !== 'function')
    throw new SluiceError('INTERNAL', 'The installed kafkajs does not expose its cluster factory; the Kafka source needs kafkajs 2.2.x.', {
      domain: 'internal',
    });
  return make({ allowAutoTopicCreation: false, isolationLevel, metadataMaxAge: 300_000 }) as KafkaCluster;
}

/** A connected cluster per distinct client configuration, kept for the life of the thread (workers reuse it across splits). */
const CLUSTERS = new Map<string, Promise<KafkaCluster>>();

/** The (cached) connected cluster for `config`. */
export function clusterFor(config: KafkaClientConfig): Promise<KafkaCluster> {
  const key = JSON.stringify(config);
  let c = CLUSTERS.get(key);
  if (c === undefined) {
    c = (async () => {
      const cluster = createCluster(newKafka(config), config.isolationLevel);
      await cluster.connect();
      return cluster;
    })();
    c.catch(() => CLUSTERS.delete(key));
    CLUSTERS.set(key, c);
  }
  return c;
}

/** Disconnects and forgets every cached cluster of `config` (the source's stop()). */
export async function closeCluster(config: KafkaClientConfig): Promise<void> {
  const key = JSON.stringify(config);
  const c = CLUSTERS.get(key);
  CLUSTERS.delete(key);
  if (c) await (await c.catch(() => null))?.disconnect();
}

function isRetriable(e: unknown): boolean {
  if (e instanceof SluiceError) return e.retryable;
  const err = e as { name?: string; retriable?: boolean; type?: string; message?: string };
  if (err.type === 'OFFSET_OUT_OF_RANGE' || err.name === 'KafkaJSOffsetOutOfRange') return false;
  // kafkajs's cluster can be left without metadata by a lost connection (null dereferences inside it).
  if (e instanceof TypeError) return true;
  return (
    err.retriable === true ||
    /ECONNREFUSED|ECONNRESET|EPIPE|socket|[Cc]onnection|[Cc]losed|timed? ?out/.test(err.message ?? '') ||
    /Connection|Timeout|BrokerNotFound|NumberOfRetriesExceeded|LockTimeout|NotImplemented|ProtocolError/.test(err.name ?? '') ||
    /LEADER|NOT_COORDINATOR|UNKNOWN_TOPIC_OR_PARTITION|COORDINATOR/.test(err.type ?? '')
  );
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `op` against the cluster of `config`, retrying retriable failures (connection
 * refused or lost, request timeouts, leader changes) up to `config.retries` times,
 * `config.retryIntervalMs` apart, reconnecting in between; this is how a query rides
 * through a broker restart. Other errors pass through unchanged. When the retries run
 * out it throws SOURCE_UNAVAILABLE naming `what`, the brokers and the last error.
 */
export async function withRetries<T>(config: KafkaClientConfig, what: string, op: (cluster: KafkaCluster) => Promise<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt <= config.retries; attempt++) {
    try {
      return await op(await clusterFor(config));
    } catch (e) {
      if (!isRetriable(e)) throw e;
      last = e;
      await closeCluster(config).catch(() => undefined);
      await sleep(config.retryIntervalMs);
    }
  }
  throw new SluiceError(
    'SOURCE_UNAVAILABLE',
    `Kafka at ${config.brokers.join(',')} did not answer while ${what}, after ${config.retries + 1} attempts ${config.retryIntervalMs} ms apart: ${(last as Error)?.message ?? String(last)}. Check that the brokers run, or raise fetchOffset.numRetries / fetchOffset.retryIntervalMs to wait longer.`,
    { domain: 'external', retryable: true, cause: last },
  );
}

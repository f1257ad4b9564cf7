import { invalidArgument } from '../../common/errors.js';
import { integerOption } from '../../common/integer-option.js';
import type { ScanOptions } from '../../common/connector-options.js';

/**
 * Settings of the kafkajs client, derived from the `kafka.*` options. Plain data: it
 * travels inside connector splits to the worker threads that fetch records.
 */
export interface KafkaClientConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl: boolean;
  readonly sasl: { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: string } | null;
  readonly requestTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  /** 0 = read_uncommitted (Kafka's and Spark's default), 1 = read_committed. */
  readonly isolationLevel: 0 | 1;
  readonly fetchMaxBytes: number;
  readonly partitionFetchMaxBytes: number;
  /** Attempts of one fetch or offset lookup before the query fails (rides through broker restarts). */
  readonly retries: number;
  readonly retryIntervalMs: number;
  /** How long a fetch waits for records that the offset range promises before failing. */
  readonly pollTimeoutMs: number;
}

/** Kafka consumer settings Spark rejects for its source, because the source manages them itself. */
const REJECTED: Readonly<Record<string, string>> = {
  'kafka.auto.offset.reset': "set startingOffsets instead (e.g. .option('startingOffsets', 'earliest'))",
  'kafka.enable.auto.commit': 'the source never auto-commits; use commitOffsetsToGroup to publish progress to a group',
  'kafka.key.deserializer': 'keys are always read as binary; cast or decode them in the query',
  'kafka.value.deserializer': "values are always read as binary; decode them in the query (cast('string'), fromJson)",
  'kafka.interceptor.classes': 'interceptors are not supported',
};

function parseJaas(jaas: string): { username: string; password: string } {
  const user = /username\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
  const pass = /password\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
  if (user === undefined || pass === undefined)
    throw invalidArgument(
      `kafka.sasl.jaas.config must hold username="..." and password="...", e.g. 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";'.`,
    );
  return { username: user, password: pass };
}

/**
 * Maps the `kafka.*` options onto the kafkajs client: `bootstrap.servers` (required),
 * `client.id`, `security.protocol` (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL) with
 * `sasl.mechanism` (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) and `sasl.jaas.config`,
 * `isolation.level`, `fetch.max.bytes`, `max.partition.fetch.bytes`, `request.timeout.ms`.
 * `group.id` names the group for commitOffsetsToGroup. Options the source manages itself
 * are rejected with the alternative (as Spark does); other `kafka.*` keys have no kafkajs
 * counterpart and are ignored. `fetchOffset.numRetries`, `fetchOffset.retryIntervalMs` and
 * `kafkaConsumer.pollTimeoutMs` set the retry budget.
 */
export function kafkaClientConfig(options: ScanOptions, owner: string): KafkaClientConfig {
  for (const [key, why] of Object.entries(REJECTED))
    if (options[key] !== undefined) throw invalidArgument(`Option '${key}' is not supported by the ${owner}: ${why}.`);
  const servers = options['kafka.bootstrap.servers'];
  if (servers === undefined || String(servers).trim() === '')
    throw invalidArgument(
      `The ${owner} needs option 'kafka.bootstrap.servers': the brokers as host:port, comma-separated, e.g. .option('kafka.bootstrap.servers', 'localhost:9092').`,
    );
  const brokers = String(servers)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const protocol = String(options['kafka.security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol))
    throw invalidArgument(`kafka.security.protocol must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got '${protocol}'.`);
  let sasl: KafkaClientConfig['sasl'] = null;
  if (protocol.startsWith('SASL')) {
    const mechanism = String(options['kafka.sasl.mechanism'] ?? 'PLAIN').toLowerCase();
    if (mechanism !== 'plain' && mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512')
      throw invalidArgument(`kafka.sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got '${mechanism}'.`);
    sasl = { mechanism, ...parseJaas(String(options['kafka.sasl.jaas.config'] ?? '')) };
  }
  const isolation = String(options['kafka.isolation.level'] ?? 'read_uncommitted').toLowerCase();
  if (isolation !== 'read_uncommitted' && isolation !== 'read_committed')
    throw invalidArgument(`kafka.isolation.level must be read_uncommitted or read_committed, got '${isolation}'.`);
  return {
    brokers,
    clientId: String(options['kafka.client.id'] ?? 'sluice'),
    ssl: protocol === 'SSL' || protocol === 'SASL_SSL',
    sasl,
    requestTimeoutMs: integerOption(options, 'kafka.request.timeout.ms', { min: 1, fallback: 30_000, owner }),
    connectionTimeoutMs: integerOption(options, 'kafka.socket.connection.setup.timeout.ms', { min: 1, fallback: 3_000, owner }),
    isolationLevel: isolation === 'read_committed' ? 1 : 0,
    fetchMaxBytes: integerOption(options, 'kafka.fetch.max.bytes', { min: 1, fallback: 52_428_800, owner }),
    partitionFetchMaxBytes: integerOption(options, 'kafka.max.partition.fetch.bytes', { min: 1, fallback: 1_048_576 * 8, owner }),
    retries: integerOption(options, 'fetchOffset.numRetries', { min: 0, fallback: 60, owner }),
    retryIntervalMs: integerOption(options, 'fetchOffset.retryIntervalMs', { min: 0, fallback: 500, owner }),
    pollTimeoutMs: integerOption(options, 'kafkaConsumer.pollTimeoutMs', { min: 1, fallback: 120_000, owner }),
  };
}

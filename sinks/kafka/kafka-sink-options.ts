import type { KafkaConfig, ProducerConfig, RetryOptions } from 'kafkajs';
import { didYouMean } from '../../common/closest-name.js';
import type { ScanOptions } from '../../common/connector-options.js';
import { invalidArgument } from '../../common/errors.js';
import { checkKnownOptions } from '../../common/known-options.js';
import { kafkaLogCreator } from './kafka-log.js';

const OWNER = 'kafka sink';

/** Sink options besides `kafka.*` (Spark's names, plus the exactly-once settings). */
export const KAFKA_SINK_OPTIONS: readonly string[] = ['topic', 'exactlyOnce', 'markerTopic', 'transactionalIdPrefix', 'checkpointLocation', 'path'];

/** The Kafka producer settings (`kafka.<name>`) the sink maps onto kafkajs. */
export const KAFKA_PRODUCER_OPTIONS: readonly string[] = [
  'kafka.bootstrap.servers',
  'kafka.client.id',
  'kafka.acks',
  'kafka.compression.type',
  'kafka.enable.idempotence',
  'kafka.max.in.flight.requests.per.connection',
  'kafka.request.timeout.ms',
  'kafka.socket.connection.setup.timeout.ms',
  'kafka.retries',
  'kafka.retry.backoff.ms',
  'kafka.retry.backoff.max.ms',
  'kafka.transaction.timeout.ms',
  'kafka.delivery.timeout.ms',
  'kafka.max.request.size',
  'kafka.security.protocol',
];

/** Producer settings Spark's Kafka sink refuses because the sink sets them itself. */
const REFUSED: Readonly<Record<string, string>> = {
  'kafka.key.serializer': 'keys are always written as bytes (a string key as its UTF-8 bytes)',
  'kafka.value.serializer': 'values are always written as bytes (a string value as its UTF-8 bytes)',
  'kafka.transactional.id': "the exactly-once mode derives it from the query id; set option 'transactionalIdPrefix' to change its prefix",
};

/** The validated options of a Kafka sink. */
export interface KafkaSinkOptions {
  /** Client settings (brokers, client id, retries, quiet logger). */
  readonly client: KafkaConfig;
  /** Producer settings (idempotence, in-flight requests, transaction timeout). */
  readonly producer: ProducerConfig;
  /** acks of each produce request: -1 (all), 0 or 1. */
  readonly acks: number;
  /** 0 = none, 1 = gzip (kafkajs's codec numbers). */
  readonly compression: number;
  /** The `topic` option: every row goes there (it overrides a `topic` column), or null. */
  readonly topic: string | null;
  /** Whether each batch is written in one Kafka transaction fenced by batch id. */
  readonly exactlyOnce: boolean;
  /** The topic whose partition 0 carries the committed-batch marker (exactly-once), or null. */
  readonly markerTopic: string | null;
  /** Prefix of the transactional id and marker group (exactly-once). */
  readonly transactionalIdPrefix: string;
  /** How long a batch may keep retrying while the broker is unreachable before it fails (ms). */
  readonly deliveryTimeoutMs: number;
  /** The largest produce request (bytes); the sink sends a batch in chunks below it. */
  readonly maxRequestBytes: number;
}

function bool(options: ScanOptions, key: string, dflt: boolean): boolean {
  const v = options[key];
  if (v === undefined) return dflt;
  if (v === true || v === false) return v;
  const s = String(v).toLowerCase();
  if (s === 'true' || s === 'false') return s === 'true';
  throw invalidArgument(`Option '${key}' of the ${OWNER} must be true or false, got '${String(v)}'.`);
}

function nonNegativeInt(options: ScanOptions, key: string): number | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw invalidArgument(`Option '${key}' of the ${OWNER} must be a non-negative integer, got '${String(v)}'.`);
  return n;
}

function text(options: ScanOptions, key: string): string | null {
  const v = options[key];
  if (v === undefined) return null;
  const s = String(v).trim();
  if (s === '') throw invalidArgument(`Option '${key}' of the ${OWNER} must not be empty.`);
  return s;
}

function acksOf(options: ScanOptions, idempotent: boolean): number {
  const v = options['kafka.acks'];
  if (v === undefined) return -1;
  const s = String(v).toLowerCase();
  const acks = s === 'all' ? -1 : Number(s);
  if (acks !== -1 && acks !== 0 && acks !== 1) throw invalidArgument(`Option 'kafka.acks' of the ${OWNER} must be all, -1, 0 or 1, got '${String(v)}'.`);
  if (idempotent && acks !== -1)
    throw invalidArgument(
      `The idempotent producer needs kafka.acks=all; got '${String(v)}'. Remove kafka.acks, or set kafka.enable.idempotence=false (not in exactly-once mode).`,
    );
  return acks;
}

function compressionOf(options: ScanOptions): number {
  const v = options['kafka.compression.type'];
  if (v === undefined) return 0;
  const s = String(v).toLowerCase();
  if (s === 'none') return 0;
  if (s === 'gzip') return 1;
  throw invalidArgument(`Option 'kafka.compression.type' of the ${OWNER} supports none and gzip (the codecs kafkajs ships), got '${String(v)}'.`);
}

function retryOf(options: ScanOptions, exactlyOnce: boolean): RetryOptions {
  // A broker restart takes 5-18 s: kafkajs's default 5 retries give up too early.
  return {
    initialRetryTime: nonNegativeInt(options, 'kafka.retry.backoff.ms') ?? (exactlyOnce ? 20 : 100),
    maxRetryTime: nonNegativeInt(options, 'kafka.retry.backoff.max.ms') ?? 2000,
    retries: nonNegativeInt(options, 'kafka.retries') ?? 30,
  };
}

/**
 * Validates a Kafka sink's options (see docs/STREAMING.md): unknown keys fail naming the
 * closest valid one, `kafka.*` keys must be producer settings the sink maps onto kafkajs,
 * and `kafka.bootstrap.servers` is required. Exactly-once needs the idempotent producer.
 */
export function kafkaSinkOptions(options: ScanOptions): KafkaSinkOptions {
  checkKnownOptions(options, KAFKA_SINK_OPTIONS, OWNER, ['kafka.']);
  for (const key of Object.keys(options)) {
    if (!key.startsWith('kafka.') || KAFKA_PRODUCER_OPTIONS.includes(key)) continue;
    const why = REFUSED[key];
    if (why !== undefined) throw invalidArgument(`Option '${key}' is not supported by the ${OWNER}: ${why}.`);
    throw invalidArgument(
      `Unknown Kafka producer option '${key}' for the ${OWNER}.${didYouMean(key, KAFKA_PRODUCER_OPTIONS)} Supported kafka.* options: ${KAFKA_PRODUCER_OPTIONS.join(', ')}.`,
    );
  }
  const servers = text(options, 'kafka.bootstrap.servers');
  if (servers === null)
    throw invalidArgument(`The ${OWNER} needs option 'kafka.bootstrap.servers', e.g. .option('kafka.bootstrap.servers', 'host1:9092,host2:9092').`);
  const exactlyOnce = bool(options, 'exactlyOnce', false);
  const idempotent = bool(options, 'kafka.enable.idempotence', true);
  if (exactlyOnce && !idempotent)
    throw invalidArgument(`The ${OWNER}'s exactlyOnce mode needs the idempotent producer: remove kafka.enable.idempotence=false.`);
  const inFlight = nonNegativeInt(options, 'kafka.max.in.flight.requests.per.connection') ?? 1;
  if (idempotent && inFlight !== 1)
    throw invalidArgument(`The idempotent producer keeps order only with kafka.max.in.flight.requests.per.connection=1 (kafkajs); got ${inFlight}.`);
  const protocol = String(options['kafka.security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (protocol !== 'PLAINTEXT' && protocol !== 'SSL')
    throw invalidArgument(`Option 'kafka.security.protocol' of the ${OWNER} supports PLAINTEXT and SSL (SASL is not mapped yet), got '${protocol}'.`);
  const topic = text(options, 'topic');
  const requestTimeout = nonNegativeInt(options, 'kafka.request.timeout.ms');
  const connectionTimeout = nonNegativeInt(options, 'kafka.socket.connection.setup.timeout.ms');
  const transactionTimeout = nonNegativeInt(options, 'kafka.transaction.timeout.ms');
  const retry = retryOf(options, exactlyOnce);
  return {
    client: {
      brokers: servers.split(',').map((s) => s.trim()),
      clientId: text(options, 'kafka.client.id') ?? 'sluice-kafka-sink',
      ssl: protocol === 'SSL',
      retry,
      logCreator: kafkaLogCreator,
      ...(requestTimeout === undefined ? {} : { requestTimeout }),
      ...(connectionTimeout === undefined ? {} : { connectionTimeout }),
    },
    producer: {
      idempotent,
      maxInFlightRequests: inFlight,
      retry,
      ...(transactionTimeout === undefined ? {} : { transactionTimeout }),
    },
    acks: acksOf(options, idempotent),
    compression: compressionOf(options),
    topic,
    exactlyOnce,
    markerTopic: text(options, 'markerTopic') ?? topic,
    transactionalIdPrefix: text(options, 'transactionalIdPrefix') ?? 'sluice',
    deliveryTimeoutMs: nonNegativeInt(options, 'kafka.delivery.timeout.ms') ?? 120_000,
    maxRequestBytes: Math.max(1024, nonNegativeInt(options, 'kafka.max.request.size') ?? 1_048_576),
  };
}

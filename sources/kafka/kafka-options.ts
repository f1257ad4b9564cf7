import { parseDurationMicros } from '../../common/duration.js';
import { invalidArgument } from '../../common/errors.js';
import { integerOption } from '../../common/integer-option.js';
import { checkKnownOptions } from '../../common/known-options.js';
import type { ScanOptions } from '../../common/connector-options.js';
import type { PartitionOffsets } from './kafka-offsets.js';
import { parsePartitionJson } from './kafka-offsets.js';
import type { KafkaClientConfig } from './kafka-client-config.js';
import { kafkaClientConfig } from './kafka-client-config.js';

const OWNER = 'kafka source';

/** How to subscribe: a topic list, a regular expression over topic names, or fixed partitions. */
export type KafkaSubscription =
  | { readonly kind: 'subscribe'; readonly topics: readonly string[] }
  | { readonly kind: 'subscribePattern'; readonly pattern: string }
  | { readonly kind: 'assign'; readonly partitions: { readonly [topic: string]: readonly number[] } };

/** Where reading starts or ends: `earliest`, `latest`, per-partition offsets, or timestamps. */
export type KafkaOffsetSpec =
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'offsets'; readonly offsets: PartitionOffsets }
  | { readonly kind: 'timestamp'; readonly timestampMs: number }
  | { readonly kind: 'timestamps'; readonly timestamps: PartitionOffsets };

/** Validated options of the Kafka source (streaming and batch). */
export interface KafkaSourceOptions {
  readonly subscription: KafkaSubscription;
  readonly starting: KafkaOffsetSpec;
  /** Batch reads only; `latest` for streams. */
  readonly ending: KafkaOffsetSpec;
  readonly maxOffsetsPerTrigger: number | null;
  readonly minOffsetsPerTrigger: number | null;
  readonly maxTriggerDelayMs: number;
  readonly failOnDataLoss: boolean;
  readonly includeHeaders: boolean;
  /** Consumer group that processed offsets are committed to after each batch, or null. */
  readonly commitGroup: string | null;
  readonly client: KafkaClientConfig;
}

const COMMON = [
  'subscribe',
  'subscribePattern',
  'assign',
  'startingOffsets',
  'startingTimestamp',
  'startingOffsetsByTimestamp',
  'failOnDataLoss',
  'includeHeaders',
  'fetchOffset.numRetries',
  'fetchOffset.retryIntervalMs',
  'kafkaConsumer.pollTimeoutMs',
];
/** Options of `readStream.format('kafka')` besides `kafka.*`. */
export const KAFKA_STREAM_OPTIONS: readonly string[] = [...COMMON, 'maxOffsetsPerTrigger', 'minOffsetsPerTrigger', 'maxTriggerDelay', 'commitOffsetsToGroup'];
/** Options of `read.format('kafka')` besides `kafka.*`. */
export const KAFKA_BATCH_OPTIONS: readonly string[] = [...COMMON, 'endingOffsets', 'endingTimestamp', 'endingOffsetsByTimestamp'];

function str(options: ScanOptions, key: string): string | undefined {
  const v = options[key];
  return v === undefined ? undefined : String(v).trim();
}

function bool(options: ScanOptions, key: string, fallback: boolean): boolean {
  const v = options[key];
  if (v === undefined) return fallback;
  const t = String(v).trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw invalidArgument(`Option '${key}' of the ${OWNER} must be true or false, got '${String(v)}'.`);
}

function subscription(options: ScanOptions): KafkaSubscription {
  const given = ['subscribe', 'subscribePattern', 'assign'].filter((k) => options[k] !== undefined);
  if (given.length !== 1)
    throw invalidArgument(
      `The ${OWNER} needs exactly one of 'subscribe' (topics, comma-separated), 'subscribePattern' (a regular expression) or 'assign' ({"topic":[0,1]}); ${given.length === 0 ? 'none was given' : `got ${given.join(' and ')}`}.`,
    );
  const value = str(options, given[0] as string) as string;
  if (given[0] === 'subscribe') {
    const topics = value
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (topics.length === 0) throw invalidArgument(`Option 'subscribe' of the ${OWNER} needs at least one topic name, e.g. .option('subscribe', 'orders').`);
    return { kind: 'subscribe', topics };
  }
  if (given[0] === 'subscribePattern') {
    try {
      new RegExp(value);
    } catch (e) {
      throw invalidArgument(`Option 'subscribePattern' of the ${OWNER} is not a valid regular expression: ${(e as Error).message}.`);
    }
    return { kind: 'subscribePattern', pattern: value };
  }
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    json = null;
  }
  const bad = invalidArgument(`Option 'assign' of the ${OWNER} must be JSON like {"topicA":[0,1],"topicB":[2,4]}, got '${value}'.`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad;
  const partitions: Record<string, number[]> = {};
  for (const [topic, ps] of Object.entries(json)) {
    if (!Array.isArray(ps) || ps.some((p) => !Number.isInteger(p) || p < 0)) throw bad;
    partitions[topic] = [...new Set(ps as number[])].sort((a, b) => a - b);
  }
  if (Object.keys(partitions).length === 0) throw bad;
  return { kind: 'assign', partitions };
}

function timestampOption(options: ScanOptions, key: string): number {
  const v = str(options, key) as string;
  if (!/^\d+$/.test(v)) throw invalidArgument(`Option '${key}' of the ${OWNER} must be a timestamp in milliseconds since the epoch, got '${v}'.`);
  return Number(v);
}

function offsetSpec(options: ScanOptions, prefix: 'starting' | 'ending', fallback: 'earliest' | 'latest'): KafkaOffsetSpec {
  const byTs = `${prefix}OffsetsByTimestamp`;
  const ts = `${prefix}Timestamp`;
  const offs = `${prefix}Offsets`;
  // Spark's precedence: per-partition timestamps, then one timestamp, then offsets.
  if (options[byTs] !== undefined)
    return { kind: 'timestamps', timestamps: parsePartitionJson(str(options, byTs) as string, byTs, (v) => v >= 0, 'timestamp in ms') };
  if (options[ts] !== undefined) return { kind: 'timestamp', timestampMs: timestampOption(options, ts) };
  const v = str(options, offs);
  if (v === undefined) return { kind: fallback };
  if (v.toLowerCase() === 'earliest') return { kind: 'earliest' };
  if (v.toLowerCase() === 'latest') return { kind: 'latest' };
  return { kind: 'offsets', offsets: parsePartitionJson(v, offs, (o) => o >= -2, 'offset, -2 = earliest, -1 = latest') };
}

/** Milliseconds of a Spark-style duration: `15m`, `30s`, `500ms`, `1 minute`, or a bare number of ms. */
function durationMs(options: ScanOptions, key: string, fallback: number): number {
  const v = str(options, key);
  if (v === undefined) return fallback;
  if (/^\d+$/.test(v)) return Number(v);
  const short = /^(\d+)\s*(ms|s|m|h|d)$/i.exec(v);
  if (short) return Number(short[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(short[2] as string).toLowerCase()] as number);
  return Number(parseDurationMicros(v, `option '${key}'`) / 1000n);
}

/**
 * Validates the options of the Kafka source; INVALID_ARGUMENT names the bad option and,
 * for unknown keys, the closest valid one. `mode` picks the streaming or batch option set
 * (`endingOffsets` only for batch reads, `maxOffsetsPerTrigger` only for streams).
 */
export function kafkaSourceOptions(options: ScanOptions, mode: 'stream' | 'batch'): KafkaSourceOptions {
  const owner = mode === 'stream' ? OWNER : 'kafka batch reader';
  checkKnownOptions(options, mode === 'stream' ? KAFKA_STREAM_OPTIONS : KAFKA_BATCH_OPTIONS, owner, ['kafka.']);
  const starting = offsetSpec(options, 'starting', mode === 'stream' ? 'latest' : 'earliest');
  const ending = mode === 'batch' ? offsetSpec(options, 'ending', 'latest') : ({ kind: 'latest' } as const);
  if (mode === 'batch' && starting.kind === 'latest')
    throw invalidArgument("startingOffsets='latest' is not valid for a batch read (it would read nothing); use 'earliest' or per-partition offsets.");
  if (mode === 'batch' && ending.kind === 'earliest')
    throw invalidArgument("endingOffsets='earliest' is not valid for a batch read; use 'latest' or per-partition offsets.");
  if (mode === 'batch' && ending.kind === 'offsets' && Object.values(ending.offsets).some((ps) => Object.values(ps).includes(-2)))
    throw invalidArgument('endingOffsets cannot use -2 (earliest) for a partition in a batch read; use -1 (latest) or an offset.');
  const maxOffsets = options.maxOffsetsPerTrigger === undefined ? null : integerOption(options, 'maxOffsetsPerTrigger', { min: 1, owner });
  const minOffsets = options.minOffsetsPerTrigger === undefined ? null : integerOption(options, 'minOffsetsPerTrigger', { min: 1, owner });
  if (maxOffsets !== null && minOffsets !== null && minOffsets > maxOffsets)
    throw invalidArgument(`minOffsetsPerTrigger (${minOffsets}) must not exceed maxOffsetsPerTrigger (${maxOffsets}).`);
  const commit = str(options, 'commitOffsetsToGroup');
  const groupId = str(options, 'kafka.group.id');
  let commitGroup: string | null = null;
  if (commit !== undefined && commit.toLowerCase() !== 'false') {
    commitGroup = commit.toLowerCase() === 'true' ? (groupId ?? null) : commit;
    if (commitGroup === null || commitGroup === '')
      throw invalidArgument(
        "commitOffsetsToGroup=true needs a group: set option 'kafka.group.id', or give the group as the value: .option('commitOffsetsToGroup', 'my-group').",
      );
  }
  return {
    subscription: subscription(options),
    starting,
    ending,
    maxOffsetsPerTrigger: maxOffsets,
    minOffsetsPerTrigger: minOffsets,
    maxTriggerDelayMs: durationMs(options, 'maxTriggerDelay', 15 * 60_000),
    failOnDataLoss: bool(options, 'failOnDataLoss', true),
    includeHeaders: bool(options, 'includeHeaders', false),
    commitGroup,
    client: kafkaClientConfig(options, owner),
  };
}

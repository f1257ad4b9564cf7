import type { ScanOptions } from '../../common/connector-options.js';
import { invalidArgument } from '../../common/errors.js';
import { integerOption } from '../../common/integer-option.js';
import { checkKnownOptions } from '../../common/known-options.js';
import type { StreamId } from './stream-id.js';
import { userStreamId } from './stream-id.js';

const OWNER = 'redis-stream source';

/** Every option the redis-stream source accepts. */
export const REDIS_STREAM_OPTIONS: readonly string[] = [
  'url',
  'streams',
  'startingOffsets',
  'endingOffsets',
  'maxEntriesPerTrigger',
  'failOnDataLoss',
  'group',
  'retryMillis',
];

/** Where reading starts or ends in one stream: a position word or an entry id (read strictly after it). */
export type StreamPosition = 'earliest' | 'latest' | StreamId;

/** Validated options of the redis-stream source. */
export interface RedisStreamOptions {
  readonly url: string;
  /** The stream keys, in the order given. */
  readonly streams: readonly string[];
  /** Per stream: where a new query starts (default earliest). */
  readonly starting: Readonly<Record<string, StreamPosition>>;
  /** Per stream: where a batch read ends (default latest). */
  readonly ending: Readonly<Record<string, StreamPosition>>;
  /** Entries admitted per micro-batch at most, over all streams; null for no limit. */
  readonly maxEntriesPerTrigger: number | null;
  /** Fail (true, default) or skip when entries of a range were trimmed or deleted. */
  readonly failOnDataLoss: boolean;
  /** A consumer group whose last-delivered id follows the committed offsets, or null. */
  readonly group: string | null;
  /** How long a read rides through an unreachable server, ms (default 10000). */
  readonly retryMillis: number;
}

function positions(raw: unknown, key: string, streams: readonly string[], fallback: StreamPosition): Record<string, StreamPosition> {
  const out: Record<string, StreamPosition> = {};
  const word = raw === undefined ? fallback : String(raw).trim();
  if (word === 'earliest' || word === 'latest') {
    for (const s of streams) out[s] = word;
    return out;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(word);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalidArgument(`Option '${key}' of the ${OWNER} must be 'earliest', 'latest' or JSON like {"orders":"1700000000000-0"}, got '${word}'.`);
  for (const s of streams) {
    const v = (parsed as Record<string, unknown>)[s];
    if (typeof v !== 'string')
      throw invalidArgument(`Option '${key}' of the ${OWNER} gives no position for stream '${s}'; give one for every stream in 'streams'.`);
    out[s] = v === 'earliest' || v === 'latest' ? v : userStreamId(v, `Position of stream '${s}' in option '${key}'`);
  }
  for (const s of Object.keys(parsed as object))
    if (!streams.includes(s)) throw invalidArgument(`Option '${key}' of the ${OWNER} names stream '${s}', which is not in option 'streams'.`);
  return out;
}

function booleanOption(options: ScanOptions, key: string, fallback: boolean): boolean {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const s = String(raw).toLowerCase();
  if (s !== 'true' && s !== 'false') throw invalidArgument(`Option '${key}' of the ${OWNER} must be true or false, got '${String(raw)}'.`);
  return s === 'true';
}

/** Parses and validates the source's options; INVALID_ARGUMENT names the bad option and the closest valid key. */
export function redisStreamOptions(options: ScanOptions): RedisStreamOptions {
  checkKnownOptions(options, REDIS_STREAM_OPTIONS, OWNER);
  const url = options.url;
  if (typeof url !== 'string' || !/^rediss?:\/\//.test(url))
    throw invalidArgument(`The ${OWNER} needs option 'url' starting with redis:// or rediss://, e.g. .option('url', 'redis://127.0.0.1:6379').`);
  const streams = String(options.streams ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (streams.length === 0)
    throw invalidArgument(`The ${OWNER} needs option 'streams': one or more stream keys, comma-separated, e.g. .option('streams', 'orders').`);
  if (new Set(streams).size !== streams.length) throw invalidArgument(`Option 'streams' of the ${OWNER} names a stream twice: '${String(options.streams)}'.`);
  const ending = positions(options.endingOffsets, 'endingOffsets', streams, 'latest');
  if (Object.values(ending).includes('earliest'))
    throw invalidArgument(`Option 'endingOffsets' of the ${OWNER} cannot be 'earliest'; use 'latest' or entry ids.`);
  return {
    url,
    streams,
    starting: positions(options.startingOffsets, 'startingOffsets', streams, 'earliest'),
    ending,
    maxEntriesPerTrigger: options.maxEntriesPerTrigger === undefined ? null : integerOption(options, 'maxEntriesPerTrigger', { min: 1, owner: OWNER }),
    failOnDataLoss: booleanOption(options, 'failOnDataLoss', true),
    group: options.group === undefined ? null : String(options.group),
    retryMillis: integerOption(options, 'retryMillis', { min: 0, fallback: 10_000, owner: OWNER }),
  };
}

import { invalidArgument, SluiceError } from '../../common/errors.js';
import type { Offset } from '../source.js';

/**
 * Offsets per topic-partition, as Spark writes them in its offset log:
 * `{"orders":{"0":23,"1":45}}` (topic, then partition number as a string, then the next
 * offset to read). Offsets are JS numbers: exact up to 2^53, far beyond any real log.
 */
export type PartitionOffsets = { readonly [topic: string]: { readonly [partition: string]: number } };

/** One topic-partition. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Spark's sentinels in per-partition JSON offsets. */
export const EARLIEST = -2;
export const LATEST = -1;

/** `topic-partition` for messages. */
export function tpName(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** Every topic-partition of `offsets`, sorted by topic then partition. */
export function partitionsOf(offsets: PartitionOffsets): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const topic of Object.keys(offsets).sort()) {
    for (const p of Object.keys(offsets[topic] ?? {})) out.push({ topic, partition: Number(p) });
  }
  return out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

/** The offset of `tp` in `offsets`, or undefined. */
export function offsetOf(offsets: PartitionOffsets, tp: TopicPartition): number | undefined {
  return offsets[tp.topic]?.[String(tp.partition)];
}

/** Builds offsets from entries (later entries win). Keys come out sorted, so equal offsets serialize equally. */
export function offsetsFrom(entries: Iterable<readonly [TopicPartition, number]>): PartitionOffsets {
  const all = [...entries].sort(([a], [b]) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  const out: Record<string, Record<string, number>> = {};
  for (const [tp, off] of all) {
    const t = out[tp.topic] ?? {};
    t[String(tp.partition)] = off;
    out[tp.topic] = t;
  }
  return out;
}

/**
 * Parses per-partition JSON (`{"t":{"0":23}}`) as written in `startingOffsets`,
 * `endingOffsets` or `startingOffsetsByTimestamp`; INVALID_ARGUMENT names the option and
 * the expected shape. `allowed` checks each value (e.g. offsets >= -2).
 */
export function parsePartitionJson(text: string, option: string, allowed: (v: number) => boolean, what: string): PartitionOffsets {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidArgument(`Option '${option}' must be 'earliest', 'latest' or JSON like {"topic":{"0":23,"1":-2}}, got '${text}'.`);
  }
  const shape = `Option '${option}' must map topics to {partition: ${what}}, like {"topic":{"0":23,"1":-2}}; got ${text}.`;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalidArgument(shape);
  const out: Record<string, Record<string, number>> = {};
  for (const [topic, parts] of Object.entries(json)) {
    if (typeof parts !== 'object' || parts === null || Array.isArray(parts)) throw invalidArgument(shape);
    const t: Record<string, number> = {};
    for (const [p, v] of Object.entries(parts as Record<string, unknown>)) {
      if (!/^\d+$/.test(p) || typeof v !== 'number' || !Number.isSafeInteger(v) || !allowed(v)) throw invalidArgument(shape);
      t[String(Number(p))] = v;
    }
    out[topic] = t;
  }
  return out;
}

/** Reads a Kafka offset back from the offset log; CHECKPOINT_CORRUPT when it is not per-partition offsets. */
export function asPartitionOffsets(offset: Offset | null, description: string): PartitionOffsets {
  if (offset === null) return {};
  const bad = (): SluiceError =>
    new SluiceError(
      'CHECKPOINT_CORRUPT',
      `${description}: the logged offset ${JSON.stringify(offset)} is not Kafka offsets ({"topic":{"0":23}}). Was the checkpoint written by another source? Use a new checkpoint location.`,
    );
  if (typeof offset !== 'object' || Array.isArray(offset)) throw bad();
  for (const parts of Object.values(offset)) {
    if (typeof parts !== 'object' || parts === null || Array.isArray(parts)) throw bad();
    for (const v of Object.values(parts)) if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad();
  }
  return offset as PartitionOffsets;
}

/**
 * Spark's rate limit (KafkaMicroBatchStream.rateLimit): splits `limit` offsets over the
 * partitions in proportion to each one's backlog `until - from`. A partition's share is
 * floored, except a share below 1 is rounded up, so a small backlog still moves; no
 * partition goes past its `until`. Partitions missing from `from` start at `fromDefault`.
 */
export function rateLimit(limit: number, from: PartitionOffsets, until: PartitionOffsets, fromDefault: (tp: TopicPartition) => number): PartitionOffsets {
  const tps = partitionsOf(until);
  const sizes = tps.map((tp) => {
    const begin = offsetOf(from, tp) ?? fromDefault(tp);
    const end = offsetOf(until, tp) as number;
    return { tp, begin, end, size: Math.max(0, end - begin) };
  });
  const total = sizes.reduce((s, x) => s + x.size, 0);
  if (total <= limit) return until;
  return offsetsFrom(
    sizes.map(({ tp, begin, end, size }) => {
      if (size === 0) return [tp, end] as const;
      const prorate = limit * (size / total);
      const step = prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate);
      return [tp, Math.min(end, begin + step)] as const;
    }),
  );
}

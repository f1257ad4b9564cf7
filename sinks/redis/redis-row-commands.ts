import type { ChainableCommander } from 'ioredis';
import type { ColumnarBatch } from '../../common/column-vector.js';
import type { ColumnText } from './redis-column-text.js';
import { columnNumber, columnText } from './redis-column-text.js';
import { templateKeys } from './redis-key-template.js';
import type { RedisSinkColumns, RedisSinkOptions } from './redis-sink-options.js';

/** Rows queued and rows left out (null key, or nothing to write) by {@link queueRowCommands}. */
export interface QueuedRows {
  written: number;
  skipped: number;
}

/**
 * Readers of one batch's columns, made once per batch and used for any of its row ranges.
 * Nothing is materialised per row beyond the command arguments themselves.
 */
export interface BatchReaders {
  readonly key: (i: number) => string | null;
  readonly texts: readonly ColumnText[];
  readonly score: ((i: number) => number | null) | null;
}

/** Builds the column readers of a batch for the sink's options. */
export function batchReaders(batch: ColumnarBatch, opts: RedisSinkOptions, cols: RedisSinkColumns): BatchReaders {
  const key = templateKeys(opts.key, batch, cols.key);
  if (opts.type === 'zset') {
    const [score, member] = cols.values as [number, number];
    return { key, texts: [columnText(batch.columns[member]!)], score: columnNumber(batch.columns[score]!) };
  }
  return { key, texts: cols.values.map((c) => columnText(batch.columns[c]!)), score: null };
}

/**
 * Queues the commands writing rows `[from, to)` of a batch on `p` (a pipeline or a MULTI):
 * - string: `SET key value [EX ttl]`; a null value skips the row.
 * - hash: `HSET key field value ...` over the non-null fields; a row of null fields is skipped.
 * - zset: `ZADD key score member`; a null score or member skips the row.
 * - stream: `XADD key * field value ...` over the non-null fields (the server assigns ids in
 *   queue order); a row of null fields is skipped.
 * With a TTL, hash, zset and stream keys get one `EXPIRE key ttl` per distinct key of the range.
 */
export function queueRowCommands(
  p: ChainableCommander,
  readers: BatchReaders,
  opts: RedisSinkOptions,
  cols: RedisSinkColumns,
  from: number,
  to: number,
  out: QueuedRows,
): void {
  const { key: keyOf, texts, score } = readers;
  const ttl = opts.ttl;
  const expired = ttl !== null && opts.type !== 'string' ? new Set<string>() : null;
  const names = cols.fieldNames;
  for (let i = from; i < to; i++) {
    const key = keyOf(i);
    if (key === null) {
      out.skipped++;
      continue;
    }
    switch (opts.type) {
      case 'string': {
        const v = (texts[0] as ColumnText)(i);
        if (v === null) {
          out.skipped++;
          continue;
        }
        if (ttl === null) p.set(key, v);
        else p.set(key, v, 'EX', ttl);
        break;
      }
      case 'zset': {
        const s = (score as (i: number) => number | null)(i);
        const m = (texts[0] as ColumnText)(i);
        if (s === null || m === null || Number.isNaN(s)) {
          out.skipped++;
          continue;
        }
        p.zadd(key, s, m);
        break;
      }
      default: {
        const args: (string | Buffer)[] = [];
        for (let c = 0; c < texts.length; c++) {
          const v = (texts[c] as ColumnText)(i);
          if (v !== null) args.push(names[c] as string, v);
        }
        if (args.length === 0) {
          out.skipped++;
          continue;
        }
        if (opts.type === 'hash') p.hset(key, ...args);
        else p.xadd(key, '*', ...args);
      }
    }
    out.written++;
    if (expired !== null && !expired.has(key)) {
      expired.add(key);
      p.expire(key, ttl as number);
    }
  }
}

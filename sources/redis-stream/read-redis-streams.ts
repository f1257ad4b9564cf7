import type { ScanOptions } from '../../common/connector-options.js';
import type { Schema } from '../../common/schema.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { parseStreamOffsets } from './redis-stream-offsets.js';
import { RedisStreamSource } from './redis-stream-source.js';
import { compareIds } from './stream-id.js';

/**
 * A batch read of Redis streams (`read.format('redis-stream').load()`): the entries after
 * `startingOffsets` (default earliest) up to `endingOffsets` (default latest; an id is
 * inclusive), with the streaming source's columns. The entries are read when `load()` runs
 * and held in memory, so every action on the DataFrame sees the same rows.
 */
export async function readRedisStreams(options: ScanOptions, userSchema: Schema | null): Promise<LogicalPlan> {
  const source = new RedisStreamSource(options, userSchema, null);
  try {
    const streams = source.options.streams;
    const from = parseStreamOffsets(await source.initialOffset(), streams, source.description);
    const latest = await source.resolve(Object.fromEntries(streams.map((s) => [s, 'latest'])));
    const ending = await source.resolve(source.options.ending);
    const to = Object.fromEntries(
      streams.map((s) => [s, compareIds(ending[s] as string, latest[s] as string) < 0 ? (ending[s] as string) : (latest[s] as string)]),
    );
    return buildLocalRelation(source.schema, await source.readBatches(from, to, 'none'));
  } finally {
    await source.stop();
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame, Row } from '../../dataframe/data-frame.js';
import type { RedisStreamReadOptions } from '../../dataframe/typed-options.js';
import { Sluice } from '../../engine/session/sluice.js';
import { Trigger } from '../../scheduler/trigger.js';
import { redisUrl, uniqueName } from '../helpers/services.js';

let sluice: Sluice;
let redis: Redis;
const dirs: string[] = [];

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  redis = new Redis(redisUrl());
});

afterAll(async () => {
  await sluice.stop();
  await redis.quit();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sluice-redis-src-'));
  dirs.push(d);
  return d;
}

/** Adds entries `user=u<i>, amount=<i>.5` with ids `<base+i>-0` for i in [from, to). */
async function addEntries(key: string, from: number, to: number, base = 1_700_000_000_000): Promise<void> {
  const p = redis.pipeline();
  for (let i = from; i < to; i++) p.xadd(key, `${base + i}-0`, 'user', `u${i}`, 'amount', `${i}.5`);
  await p.exec();
}

function reader(streams: string, opts: RedisStreamReadOptions = {}): Promise<DataFrame> {
  return sluice.readStream
    .format('redis-stream')
    .schema('user STRING, amount DOUBLE')
    .option('url', redisUrl())
    .option('streams', streams)
    .options(opts)
    .load();
}

/** Runs an availableNow query, recording each batch's rows by batch id. */
async function runAvailableNow(df: DataFrame, checkpoint: string, seen: Map<number, Row[]>, during: (id: number) => void = () => {}): Promise<void> {
  const q = await df.writeStream
    .option('checkpointLocation', checkpoint)
    .trigger(Trigger.availableNow())
    .foreachBatch(async (batch: DataFrame, batchId: number) => {
      seen.set(batchId, await batch.toArray());
      during(batchId);
    })
    .start();
  expect(await q.awaitTermination(30_000)).toBe(true);
  if (q.exception !== null) throw q.exception;
}

const users = (rows: Row[]) => rows.map((r) => r.user);

describe('redis-stream source', () => {
  it('reads entries into typed columns, at most maxEntriesPerTrigger per batch; stream result = batch result', async () => {
    const key = uniqueName('orders');
    await addEntries(key, 0, 23);
    await redis.xadd(key, '1700000000100-0', 'user', 'bad', 'amount', 'not-a-number', 'extra', 'x');
    const seen = new Map<number, Row[]>();
    await runAvailableNow(await reader(key, { maxEntriesPerTrigger: 10 }), tempDir(), seen);
    expect([...seen.keys()]).toEqual([0, 1, 2]);
    expect([...seen.values()].map((r) => r.length)).toEqual([10, 10, 4]);
    const streamed = [...seen.values()].flat();
    expect(streamed[0]).toEqual({ stream: key, id: '1700000000000-0', timestamp: new Date(1_700_000_000_000), user: 'u0', amount: 0.5 });
    expect(streamed[23]).toMatchObject({ id: '1700000000100-0', user: 'bad', amount: null });
    const batch = await sluice.read.format('redis-stream').schema('user STRING, amount DOUBLE').option('url', redisUrl()).option('streams', key).load();
    expect(await batch.toArray()).toEqual(streamed);
  });

  it('reads several streams, and fields as JSON without a schema', async () => {
    const a = uniqueName('a');
    const b = uniqueName('b');
    await addEntries(a, 0, 3);
    await addEntries(b, 10, 12);
    const df = await sluice.read.format('redis-stream').option('url', redisUrl()).option('streams', `${a},${b}`).load();
    const rows = await df.toArray();
    expect(rows.map((r) => [r.stream, r.fields])).toEqual([
      [a, '{"user":"u0","amount":"0.5"}'],
      [a, '{"user":"u1","amount":"1.5"}'],
      [a, '{"user":"u2","amount":"2.5"}'],
      [b, '{"user":"u10","amount":"10.5"}'],
      [b, '{"user":"u11","amount":"11.5"}'],
    ]);
    const ranged = await sluice.read
      .format('redis-stream')
      .option('url', redisUrl())
      .option('streams', a)
      .option('startingOffsets', JSON.stringify({ [a]: '1700000000000-0' }))
      .option('endingOffsets', JSON.stringify({ [a]: '1700000000001' }))
      .load();
    expect((await ranged.toArray()).map((r) => r.id)).toEqual(['1700000000001-0']);
  });

  it('startingOffsets=latest reads only entries added after the query first started, also across a restart', async () => {
    const key = uniqueName('late');
    await addEntries(key, 0, 5);
    const checkpoint = tempDir();
    const seen = new Map<number, Row[]>();
    await runAvailableNow(await reader(key, { startingOffsets: 'latest' }), checkpoint, seen);
    expect(seen.size).toBe(0);
    await addEntries(key, 5, 7);
    await runAvailableNow(await reader(key, { startingOffsets: 'latest' }), checkpoint, seen);
    expect(users([...seen.values()].flat())).toEqual(['u5', 'u6']);
  });

  it('a restart replays a logged batch whose commit was lost with exactly the same rows', async () => {
    const key = uniqueName('replay');
    await addEntries(key, 0, 12);
    const checkpoint = tempDir();
    const first = new Map<number, Row[]>();
    await runAvailableNow(await reader(key, { maxEntriesPerTrigger: 5 }), checkpoint, first);
    expect([...first.keys()]).toEqual([0, 1, 2]);
    // Crash between the sink and the commit log: batch 2's commit is gone; new entries arrived meanwhile.
    rmSync(join(checkpoint, 'commits', '2'));
    await addEntries(key, 12, 20);
    const second = new Map<number, Row[]>();
    await runAvailableNow(await reader(key, { maxEntriesPerTrigger: 5 }), checkpoint, second);
    expect(second.get(2)).toEqual(first.get(2));
    expect(users([...second.entries()].filter(([id]) => id > 2).flatMap(([, r]) => r))).toEqual(['u12', 'u13', 'u14', 'u15', 'u16', 'u17', 'u18', 'u19']);
  });

  it('fails with DATA_LOSS when the entries of a logged range were trimmed; failOnDataLoss=false reads what is left', async () => {
    const key = uniqueName('trim');
    await addEntries(key, 0, 10);
    const checkpoint = tempDir();
    await runAvailableNow(await reader(key, { maxEntriesPerTrigger: 4 }), checkpoint, new Map());
    rmSync(join(checkpoint, 'commits', '2'));
    await redis.xtrim(key, 'MAXLEN', 0);
    await addEntries(key, 10, 12);
    await expect(runAvailableNow(await reader(key, { maxEntriesPerTrigger: 4 }), checkpoint, new Map())).rejects.toThrow(
      /entries of stream '.*' in the range \(1700000000007-0, 1700000000009-0\] are gone: .*trimmed.*failOnDataLoss=false/,
    );
    const seen = new Map<number, Row[]>();
    await runAvailableNow(await reader(key, { maxEntriesPerTrigger: 4, failOnDataLoss: false }), checkpoint, seen);
    expect(seen.get(2)).toEqual([]);
    expect(users([...seen.values()].flat())).toEqual(['u10', 'u11']);
  });

  it('an XDEL before the first read is no loss; an XDEL inside a replayed range is DATA_LOSS', async () => {
    const key = uniqueName('xdel');
    await addEntries(key, 0, 8);
    await redis.xdel(key, '1700000000002-0');
    const checkpoint = tempDir();
    const seen = new Map<number, Row[]>();
    await runAvailableNow(await reader(key, { maxEntriesPerTrigger: 4 }), checkpoint, seen);
    expect(users([...seen.values()].flat())).toEqual(['u0', 'u1', 'u3', 'u4', 'u5', 'u6', 'u7']);
    rmSync(join(checkpoint, 'commits', '1'));
    await redis.xdel(key, '1700000000006-0');
    await expect(runAvailableNow(await reader(key, { maxEntriesPerTrigger: 4 }), checkpoint, new Map())).rejects.toThrow(
      /range \(1700000000004-0, 1700000000007-0\] are gone: entry 1700000000006-0 in the range was deleted \(XDEL\)/,
    );
  });

  it('moves a consumer group to the committed offsets (the engine reports a commit when it plans the next batch)', async () => {
    const key = uniqueName('grp');
    await addEntries(key, 0, 6);
    await runAvailableNow(await reader(key, { group: 'sluice', maxEntriesPerTrigger: 4 }), tempDir(), new Map());
    const groups = (await redis.call('XINFO', 'GROUPS', key)) as unknown[][];
    const g = groups[0] as unknown[];
    expect(g[g.indexOf('name') + 1]).toBe('sluice');
    // Batches (…, 3-0] and (3-0, 5-0]: the first batch's commit was reported when the second was planned.
    expect(g[g.indexOf('last-delivered-id') + 1]).toBe('1700000000003-0');
  });

  it('checks options when the DataFrame is built', async () => {
    // @ts-expect-error the misspelt key is also a compile error; this checks the runtime refusal.
    await expect(reader('x', { maxEntriesPerTriger: 5 })).rejects.toThrow(/Unknown option 'maxEntriesPerTriger'.*Did you mean 'maxEntriesPerTrigger'/);
    await expect(reader('x', { startingOffsets: '{"y":"0-0"}' })).rejects.toThrow(/gives no position for stream 'x'/);
    await expect(reader('x', { startingOffsets: JSON.stringify({ x: '12-ab' }) })).rejects.toThrow(/must be a stream entry id/);
    await expect(sluice.readStream.format('redis-stream').schema('id STRING').option('url', redisUrl()).option('streams', 'x').load()).rejects.toThrow(
      /column 'id', which the source adds itself/,
    );
  });
});

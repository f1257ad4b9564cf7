import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnarBatch } from '../../common/column-vector.js';
import { types } from '../../common/data-type.js';
import { sliceBatch } from '../../common/columnar-batch.js';
import { field, schemaOf } from '../../common/schema.js';
import type { JsValue } from '../../common/vector-from-values.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import { Sluice } from '../../engine/session/sluice.js';
import { RedisSink } from '../../sinks/redis/redis-sink.js';
import { MemoryStream } from '../../sources/memory/memory-stream.js';
import { localFrame } from '../contract/local-query-executor.js';
import { redisUrl, uniqueName } from '../helpers/services.js';

const USERS = schemaOf([field('user_id', types.int64, false), field('name', types.utf8, true), field('score', types.float64, true)]);
const ROWS: JsValue[][] = [
  [1n, 'ann', 1.5],
  [2n, null, 7],
  [3n, 'cid', -2.25],
];

let sluice: Sluice;
let redis: Redis;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  redis = new Redis(redisUrl());
});

afterAll(async () => {
  await sluice.stop();
  await redis.quit();
});

/** All entries of a stream as [field map] in id order. */
async function entries(key: string): Promise<Record<string, string>[]> {
  const raw = await redis.xrange(key, '-', '+');
  return raw.map(([, kv]) => Object.fromEntries(Array.from({ length: kv.length / 2 }, (_, i) => [kv[2 * i], kv[2 * i + 1]])));
}

/** A DataFrame whose batches are `rows` cut into batches of `per`, failing after `failAfter` batches when set. */
function chunkedFrame(rows: JsValue[][], per: number, failAfter?: number): DataFrame {
  const whole = localFrame(USERS, rows);
  return {
    schema: USERS,
    async *batches(): AsyncGenerator<ColumnarBatch> {
      const all: ColumnarBatch[] = [];
      for await (const b of whole.batches()) all.push(b);
      const b = all[0] as ColumnarBatch;
      let n = 0;
      for (let at = 0; at < b.numRows; at += per) {
        if (failAfter !== undefined && n++ === failAfter) throw new Error('injected failure while computing the batch');
        yield sliceBatch(b, at, Math.min(b.numRows, at + per));
      }
    },
  } as unknown as DataFrame;
}

describe('redis sink: data shapes (batch write)', () => {
  it('writes strings with a key template and TTL', async () => {
    const p = uniqueName('str');
    const df = sluice.createDataFrame(
      [
        { id: 1, v: 'one' },
        { id: 2, v: 'two' },
        { id: 3, v: null },
      ],
      'id INT, v STRING',
    );
    await df.write
      .format('redis')
      .option('url', redisUrl())
      .option('type', 'string')
      .option('key', `${p}:{id}`)
      .option('valueColumn', 'v')
      .option('ttl', 60)
      .save();
    expect(await redis.mget(`${p}:1`, `${p}:2`, `${p}:3`)).toEqual(['one', 'two', null]);
    const ttl = await redis.ttl(`${p}:1`);
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('writes hashes of the other columns, keyed by a key column, nulls left out', async () => {
    const p = uniqueName('hash');
    const df = sluice.createDataFrame(
      [
        { k: `${p}:a`, name: 'ann', n: 5, ok: true },
        { k: `${p}:b`, name: null, n: 6, ok: false },
      ],
      'k STRING, name STRING, n BIGINT, ok BOOLEAN',
    );
    await df.write.format('redis').option('url', redisUrl()).option('type', 'hash').option('keyColumn', 'k').save();
    expect(await redis.hgetall(`${p}:a`)).toEqual({ name: 'ann', n: '5', ok: 'true' });
    expect(await redis.hgetall(`${p}:b`)).toEqual({ n: '6', ok: 'false' });
    expect(await redis.ttl(`${p}:a`)).toBe(-1);
  });

  it('writes sorted sets from a score and a member column, with a TTL per key', async () => {
    const p = uniqueName('zset');
    const df = sluice.createDataFrame(
      [
        { board: 'x', player: 'ann', points: 10 },
        { board: 'x', player: 'bob', points: 30 },
        { board: 'y', player: 'cid', points: 20 },
        { board: 'x', player: 'ann', points: 40 },
      ],
      'board STRING, player STRING, points DOUBLE',
    );
    await df.write
      .format('redis')
      .option('url', redisUrl())
      .option('type', 'zset')
      .option('key', `${p}:{board}`)
      .option('scoreColumn', 'points')
      .option('memberColumn', 'player')
      .option('ttl', 100)
      .save();
    expect(await redis.zrange(`${p}:x`, 0, -1, 'WITHSCORES')).toEqual(['bob', '30', 'ann', '40']);
    expect(await redis.zrange(`${p}:y`, 0, -1, 'WITHSCORES')).toEqual(['cid', '20']);
    expect(await redis.ttl(`${p}:y`)).toBeGreaterThan(90);
  });

  it('appends stream entries in row order, dates and timestamps as ISO text', async () => {
    const key = uniqueName('xadd');
    const df = sluice.createDataFrame(
      [
        { d: new Date(Date.UTC(2024, 0, 2)), t: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), n: 1 },
        { d: null, t: null, n: 2 },
      ],
      'd DATE, t TIMESTAMP, n INT',
    );
    await df.write.format('redis').option('url', redisUrl()).option('type', 'stream').option('key', key).save();
    expect(await entries(key)).toEqual([{ d: '2024-01-02', t: '2024-01-02T03:04:05.006Z', n: '1' }, { n: '2' }]);
  });

  it('refuses save modes it cannot honour', async () => {
    const df = sluice.createDataFrame([{ a: 1 }], 'a INT');
    await expect(df.write.format('redis').mode('overwrite').option('url', redisUrl()).option('key', 'k').save()).rejects.toThrow(
      /Save mode 'overwrite' is not allowed/,
    );
  });
});

describe('redis sink: options and columns are checked at start()', () => {
  const stream = new MemoryStream(USERS);
  const start = (opts: Record<string, string | number>) => {
    const w = sluice.readStream
      .fromSource(stream)
      .writeStream.format('redis')
      .option('checkpointLocation', mkdtempSync(join(tmpdir(), 'sluice-redis-opts-')));
    return w.options(opts).start();
  };

  it('names the closest valid option', async () => {
    await expect(start({ url: redisUrl(), key: 'k', tll: 5 })).rejects.toThrow(/Unknown option 'tll' for the redis sink. Did you mean 'ttl'\?/);
  });

  it('names missing or unusable columns', async () => {
    await expect(start({ url: redisUrl(), key: 'u:{uid}' })).rejects.toThrow(/key template '\{uid\}' names a column that does not exist.*user_id/);
    await expect(start({ url: redisUrl(), key: 'k', type: 'zset', scoreColumn: 'name', memberColumn: 'user_id' })).rejects.toThrow(
      /scoreColumn 'name' must be numeric/,
    );
    await expect(start({ url: redisUrl(), key: 'k', type: 'list' })).rejects.toThrow(/'type' of the redis sink must be one of string, hash, zset, stream/);
    await expect(start({ url: redisUrl() })).rejects.toThrow(/exactly one of option 'key'/);
    await expect(start({ url: 'localhost:6379', key: 'k' })).rejects.toThrow(/must start with redis:\/\//);
  });

  it('refuses list columns', () => {
    const listSchema = schemaOf([field('k', types.utf8), field('xs', types.list(types.int32))]);
    expect(() => new RedisSink({ url: redisUrl(), keyColumn: 'k' }, listSchema)).toThrow(/column 'xs' \(field\) as text, but it is a/);
  });
});

describe('redis sink: exactly once per batch id', () => {
  it('a streaming query writes hashes per key template; a replayed batch id writes nothing', async () => {
    const p = uniqueName('users');
    const stream = new MemoryStream(USERS);
    const checkpoint = mkdtempSync(join(tmpdir(), 'sluice-redis-sink-'));
    const start = (cp: string, extra: Record<string, string> = {}) => {
      const w = sluice.readStream
        .fromSource(stream)
        .writeStream.format('redis')
        .option('checkpointLocation', cp)
        .option('url', redisUrl())
        .option('key', `${p}:{user_id}`);
      return w.options(extra).start();
    };
    const q = await start(checkpoint);
    stream.addData(ROWS.slice(0, 2).map(([user_id, n, score]) => ({ user_id, name: n, score })));
    await q.processAllAvailable();
    stream.addData(ROWS.slice(2).map(([user_id, n, score]) => ({ user_id, name: n, score })));
    await q.processAllAvailable();
    await q.stop();
    expect(await redis.hgetall(`${p}:1`)).toEqual({ user_id: '1', name: 'ann', score: '1.5' });
    expect(await redis.hgetall(`${p}:2`)).toEqual({ user_id: '2', score: '7' });
    expect(await redis.hgetall(`${p}:3`)).toEqual({ user_id: '3', name: 'cid', score: '-2.25' });
    expect(await redis.get(`sluice:sink:${q.id}`)).toBe('1');
    // A restarted run re-sending batch 1 with other data: skipped.
    const again = new RedisSink({ url: redisUrl(), key: `${p}:{user_id}`, markerKey: `sluice:sink:${q.id}` }, USERS);
    await again.addBatch(1, localFrame(USERS, [[3n, 'zed', 0]]), 'append');
    expect(await redis.hgetall(`${p}:3`)).toEqual({ user_id: '3', name: 'cid', score: '-2.25' });
    expect(again.batchesSkipped).toBe(1);
    await again.stop();
    // The same checkpoint starts again (batch 2 next); a new checkpoint on this marker is refused at start().
    const resumed = await start(checkpoint);
    expect(resumed.id).toBe(q.id);
    stream.addData([{ user_id: 4n, name: 'dan', score: 1 }]);
    await resumed.processAllAvailable();
    await resumed.stop();
    expect(await redis.hgetall(`${p}:4`)).toEqual({ user_id: '4', name: 'dan', score: '1' });
    expect(await redis.get(`sluice:sink:${q.id}`)).toBe('2');
    await expect(start(mkdtempSync(join(tmpdir(), 'sluice-redis-sink-')), { markerKey: `sluice:sink:${q.id}` })).rejects.toThrow(
      /marker key 'sluice:sink:.*' shows batch 2 written, but the checkpoint '.*' starts at batch 0 \(not yet run\): the marker belongs to another query/,
    );
  });

  it('XADD: a batch cut into transactions, failing midway, is completed on replay with every row once', async () => {
    const key = uniqueName('xs');
    const rows: JsValue[][] = Array.from({ length: 35 }, (_, i) => [BigInt(i), `n${i}`, i / 2]);
    const opts = { url: redisUrl(), type: 'stream', key, rowsPerTransaction: 10, markerKey: uniqueName('m') };
    const first = new RedisSink(opts, USERS);
    await expect(first.addBatch(0, chunkedFrame(rows, 7, 3), 'append')).rejects.toThrow(/injected failure/);
    await first.stop();
    const partial = await entries(key);
    expect(partial.length).toBe(20);
    expect(await redis.get(opts.markerKey)).toBe('0:1');
    const replay = new RedisSink(opts, USERS);
    await replay.addBatch(0, chunkedFrame(rows, 7), 'append');
    await replay.addBatch(0, chunkedFrame(rows, 7), 'append');
    await replay.stop();
    expect((await entries(key)).map((e) => Number(e.user_id))).toEqual(rows.map((r) => Number(r[0])));
    expect(await redis.get(opts.markerKey)).toBe('0');
  });

  it('hash: a partly written batch is rewritten from its start, so a replay in another order loses nothing', async () => {
    const p = uniqueName('hp');
    const rows: JsValue[][] = Array.from({ length: 30 }, (_, i) => [BigInt(i), `n${i}`, i]);
    const opts = { url: redisUrl(), key: `${p}:{user_id}`, rowsPerTransaction: 10, markerKey: uniqueName('m') };
    const first = new RedisSink(opts, USERS);
    await expect(first.addBatch(4, chunkedFrame(rows, 10, 2), 'append')).rejects.toThrow(/injected failure/);
    await first.stop();
    const replay = new RedisSink(opts, USERS);
    await replay.addBatch(4, chunkedFrame([...rows].reverse(), 10), 'append');
    await replay.stop();
    const names = await Promise.all(rows.map((r) => redis.hget(`${p}:${r[0]}`, 'name')));
    expect(names).toEqual(rows.map((r) => r[1]));
  });

  it('two writers racing on the same batches write every entry once', async () => {
    const key = uniqueName('race');
    const rows: JsValue[][] = Array.from({ length: 200 }, (_, i) => [BigInt(i), `n${i}`, i]);
    const opts = { url: redisUrl(), type: 'stream', key, rowsPerTransaction: 16, markerKey: uniqueName('m') };
    const a = new RedisSink(opts, USERS);
    const b = new RedisSink(opts, USERS);
    for (const batchId of [0, 1]) {
      const part = rows.slice(batchId * 100, batchId * 100 + 100);
      await Promise.all([a.addBatch(batchId, chunkedFrame(part, 25), 'append'), b.addBatch(batchId, chunkedFrame(part, 25), 'append')]);
    }
    await Promise.all([a.stop(), b.stop()]);
    expect((await entries(key)).map((e) => Number(e.user_id))).toEqual(rows.map((r) => Number(r[0])));
    expect(a.rowsWritten + b.rowsWritten).toBe(200);
  });
});

describe('redis sink: binary columns', () => {
  it('writes binary values as their bytes and refuses binary keys', async () => {
    const p = uniqueName('bin');
    const schema = schemaOf([field('k', types.utf8, false), field('payload', types.binary, true)]);
    const sink = new RedisSink({ url: redisUrl(), type: 'string', key: `${p}:{k}`, valueColumn: 'payload', markerKey: uniqueName('m') }, schema);
    await sink.addBatch(0, localFrame(schema, [['a', new Uint8Array([0, 255, 10])]]), 'append');
    await sink.stop();
    expect([...((await redis.getBuffer(`${p}:a`)) as Buffer)]).toEqual([0, 255, 10]);
    expect(() => new RedisSink({ url: redisUrl(), keyColumn: 'payload' }, schema)).toThrow(/binary column 'payload'; keys are text/);
  });
});

describe('redis sink: refused commands', () => {
  it('fails with the Redis error when a key holds another type', async () => {
    const p = uniqueName('wrongtype');
    await redis.set(`${p}:1`, 'a string');
    const sink = new RedisSink({ url: redisUrl(), key: `${p}:{user_id}`, markerKey: uniqueName('m') }, USERS);
    await expect(sink.addBatch(0, localFrame(USERS, ROWS), 'append')).rejects.toThrow(
      /Redis refused a command while writing batch 0 .*WRONGTYPE.*hold the type the sink writes/,
    );
    await sink.stop();
  });
});

/**
 * `npm run bench -- redis [--rows 100000] [--runs 3] [--results-dir benchmarks/results]`:
 * the Redis sink per data type and the redis-stream source, each against plain ioredis
 * doing the same work in the same run (see benchmarks/README.md, "Redis").
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import type { DataFrame } from '../../dataframe/data-frame.js';
import { Sluice } from '../../engine/session/sluice.js';
import { RedisSink } from '../../sinks/redis/redis-sink.js';
import { RedisStreamSource } from '../../sources/redis-stream/redis-stream-source.js';
import { appendStreamRecord, type StreamRecord } from '../stream/stream-record.js';
import { benchRedis } from './bench-redis-server.js';

const SHAPES = ['string', 'hash', 'zset', 'stream'] as const;
const PIPELINE = 10_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function timed(f: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
}

/** Peer: the same commands from plain JS rows, pipelined PIPELINE at a time, no transaction or marker. */
async function peerWrite(redis: Redis, shape: (typeof SHAPES)[number], prefix: string, rows: readonly [number, string, number][]): Promise<void> {
  for (let at = 0; at < rows.length; at += PIPELINE) {
    const p = redis.pipeline();
    for (let i = at; i < Math.min(rows.length, at + PIPELINE); i++) {
      const [id, name, score] = rows[i] as [number, string, number];
      if (shape === 'string') p.set(`${prefix}:${id}`, name);
      else if (shape === 'hash') p.hset(`${prefix}:${id}`, 'user_id', String(id), 'name', name, 'score', String(score));
      else if (shape === 'zset') p.zadd(`${prefix}:${id % 100}`, score, name);
      else p.xadd(prefix, '*', 'user_id', String(id), 'name', name, 'score', String(score));
    }
    await p.exec();
  }
}

function sinkOptions(url: string, shape: (typeof SHAPES)[number], prefix: string): Record<string, string | number> {
  const base = { url, type: shape, markerKey: `${prefix}:marker` };
  if (shape === 'string') return { ...base, key: `${prefix}:{user_id}`, valueColumn: 'name' };
  if (shape === 'hash') return { ...base, key: `${prefix}:{user_id}` };
  if (shape === 'zset') return { ...base, key: `${prefix}:{bucket}`, scoreColumn: 'score', memberColumn: 'name' };
  return { ...base, key: prefix };
}

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    args: process.argv.slice(3),
    options: {
      rows: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '3' },
      'results-dir': { type: 'string', default: 'benchmarks/results' },
    },
    strict: true,
  });
  const n = Number(a.rows);
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {}
  const runs = Number(a.runs);
  const server = await benchRedis();
  const redis = new Redis(server.url);
  const sluice = await Sluice.builder().appName('sluice-redis-bench').workers(2).getOrCreate();
  const records: StreamRecord[] = [];
  const record = async (workload: string, sluiceRuns: number[], peerRuns: number[], peer: string, extra: Record<string, number>) => {
    const s = median(sluiceRuns);
    const p = median(peerRuns);
    const r: StreamRecord = {
      workload,
      rows: n,
      sluiceSeconds: Math.round(s * 1e4) / 1e4,
      peer,
      peerSeconds: Math.round(p * 1e4) / 1e4,
      ratio: Math.round((p / s) * 1000) / 1000,
      sluiceRowsPerSecond: Math.round(n / s),
      peerRowsPerSecond: Math.round(n / p),
      runs,
      ...extra,
      commit,
      timestamp: new Date().toISOString(),
    };
    process.stdout.write(`${JSON.stringify(r)}\n`);
    await appendStreamRecord(a['results-dir'] as string, r);
    records.push(r);
  };
  try {
    const plain = Array.from({ length: n }, (_, i) => [i, `user-${i}`, (i * 7919) % 100_003] as [number, string, number]);
    const df: DataFrame = await sluice
      .createDataFrame(
        plain.map(([user_id, name, score]) => ({ user_id, name, score, bucket: user_id % 100 })),
        'user_id BIGINT, name STRING, score DOUBLE, bucket INT',
      )
      .cache();
    for (const shape of SHAPES) {
      const sluiceRuns: number[] = [];
      const peerRuns: number[] = [];
      const batchRuns: number[] = [];
      const sinkDf = shape === 'zset' ? df : df.select('user_id', 'name', 'score');
      for (let r = -1; r < runs; r++) {
        await redis.flushdb();
        const sink = new RedisSink(sinkOptions(server.url, shape, `s${r}`));
        const ts = await timed(() => sink.addBatch(0, sinkDf, 'append'));
        await sink.stop();
        await redis.flushdb();
        const { markerKey: _m, ...batchOptions } = sinkOptions(server.url, shape, `b${r}`);
        const writer = sinkDf.write.format('redis').options(batchOptions);
        const tb = await timed(() => writer.save());
        await redis.flushdb();
        const tp = await timed(() => peerWrite(redis, shape, `p${r}`, plain));
        if (r >= 0) {
          sluiceRuns.push(ts);
          peerRuns.push(tp);
          batchRuns.push(tb);
        }
      }
      const tb = median(batchRuns);
      await record(`redis-sink-${shape}`, sluiceRuns, peerRuns, 'ioredis-pipeline', {
        rowsPerTransaction: 10_000,
        batchWriteSeconds: Math.round(tb * 1e4) / 1e4,
        batchWriteRatio: Math.round((median(peerRuns) / tb) * 1000) / 1000,
      });
    }
    await redis.flushdb();
    await peerWrite(redis, 'stream', 'src', plain);
    const sluiceRuns: number[] = [];
    const peerRuns: number[] = [];
    for (let r = -1; r < runs; r++) {
      const source = new RedisStreamSource({ url: server.url, streams: 'src' }, null, null);
      let rows = 0;
      const ts = await timed(async () => {
        const start = await source.initialOffset();
        const end = await source.latestOffset(start, {});
        const batches = await source.readBatches(start as Record<string, string>, end as Record<string, string>, 'first');
        for (const b of batches) rows += b.numRows;
      });
      await source.stop();
      if (rows !== n) throw new Error(`redis-stream source read ${rows} rows, expected ${n}`);
      let peerRows = 0;
      const tp = await timed(async () => {
        let from = '-';
        for (;;) {
          const page = await redis.xrange('src', from, '+', 'COUNT', 4096);
          peerRows += page.length;
          if (page.length < 4096) break;
          from = `(${page[page.length - 1]![0]}`;
        }
      });
      if (peerRows !== n) throw new Error(`XRANGE read ${peerRows} rows, expected ${n}`);
      if (r >= 0) {
        sluiceRuns.push(ts);
        peerRuns.push(tp);
      }
    }
    await record('redis-stream-source', sluiceRuns, peerRuns, 'ioredis-xrange', {});
  } finally {
    await redis.flushdb();
    redis.disconnect();
    await sluice.stop();
    await server.stop();
  }
}

await main();

/**
 * The Kafka sink benchmark: exactly-once (one transaction per batch, with the batch marker)
 * against at-least-once (idempotent producer), side by side in one run on one broker.
 *
 *   npm run bench -- kafka-sink [--sizes 1000,10000] [--rows 200000] [--warmup 5] [--bootstrap host:port]
 *     [--results-dir benchmarks/results]
 *
 * For each batch size, each mode writes `--rows` rows (in two rounds, order ALO EOS EOS ALO) (key: 8-byte string, value: ~90-byte
 * string) as batches of that size through `KafkaSink.addBatch` into a fresh one-partition
 * topic, after `--warmup` untimed batches. Reported per mode: rows/s over the timed batches
 * and per-batch latency p50/p99 (addBatch call to return: every record acknowledged, or the
 * transaction committed); then the ratios exactly-once / at-least-once. Without
 * `--bootstrap` (or KAFKA_BOOTSTRAP) it starts its own broker with scripts/services and
 * stops it at the end. One JSON line per size, appended to `<results-dir>/<date>.jsonl`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka } from 'kafkajs';
import type { DataFrame } from '../../dataframe/data-frame.js';
import { Sluice } from '../../engine/session/sluice.js';
import { kafkaLogCreator } from '../../sinks/kafka/kafka-log.js';
import { KafkaSink } from '../../sinks/kafka/kafka-sink.js';
import { percentile, roundTo } from '../stream/percentile.js';
import type { StreamFieldValue, StreamRecord } from '../stream/stream-record.js';
import { appendStreamRecord } from '../stream/stream-record.js';

const SCRIPTS = resolve(import.meta.dirname, '../../../scripts/services');

interface ModeResult {
  readonly rowsPerSec: number | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/** Timed batches of one mode: per-batch latencies and the rows and seconds they took. */
interface ModeTiming {
  readonly latencies: number[];
  rows: number;
  seconds: number;
}

function summary(t: ModeTiming): ModeResult {
  return { rowsPerSec: roundTo(t.rows / t.seconds, 0), p50Ms: roundTo(percentile(t.latencies, 50), 2), p99Ms: roundTo(percentile(t.latencies, 99), 2) };
}

function rowsFor(sluice: Sluice, size: number, seed: number): DataFrame {
  const pad = 'x'.repeat(70);
  const rows = Array.from({ length: size }, (_, i) => ({
    key: `k${String((seed * size + i) % 1e7).padStart(7, '0')}`,
    value: `{"n":${seed * size + i},"p":"${pad}"}`,
  }));
  return sluice.createDataFrame(rows, 'key STRING, value STRING');
}

async function runMode(sluice: Sluice, bootstrap: string, size: number, total: number, warmup: number, exactlyOnce: boolean, into: ModeTiming): Promise<void> {
  const topic = `bench-sink-${exactlyOnce ? 'eos' : 'alo'}-${size}-${Date.now().toString(36)}`;
  const admin = new Kafka({ brokers: [bootstrap], logCreator: kafkaLogCreator }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const sink = new KafkaSink({ 'kafka.bootstrap.servers': bootstrap, topic, exactlyOnce });
  await sink.open({ queryId: `bench-${topic}`, schema: rowsFor(sluice, 1, 0).schema });
  // A few distinct frames, reused round robin (built untimed).
  const frames = Array.from({ length: 4 }, (_, i) => rowsFor(sluice, size, i));
  const batches = Math.max(1, Math.round(total / size));
  const latencies: number[] = [];
  let batchId = 0;
  for (let i = 0; i < warmup; i++) await sink.addBatch(batchId++, frames[i % frames.length] as DataFrame, 'append');
  const t0 = performance.now();
  for (let i = 0; i < batches; i++) {
    const s = performance.now();
    await sink.addBatch(batchId++, frames[i % frames.length] as DataFrame, 'append');
    latencies.push(performance.now() - s);
  }
  into.seconds += (performance.now() - t0) / 1000;
  into.rows += batches * size;
  into.latencies.push(...latencies);
  await sink.stop();
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : roundTo(a / b, 3);
}

function currentCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** Runs the benchmark (see the file header); returns the exit status. */
export async function runKafkaSinkBench(argv: readonly string[]): Promise<number> {
  const { values: a } = parseArgs({
    args: argv.filter((x) => x !== 'kafka-sink'),
    options: {
      sizes: { type: 'string', default: '1000,10000' },
      rows: { type: 'string', default: '200000' },
      warmup: { type: 'string', default: '5' },
      bootstrap: { type: 'string' },
      'results-dir': { type: 'string', default: 'benchmarks/results' },
    },
    strict: true,
  });
  let state: string | null = null;
  let bootstrap = a.bootstrap ?? process.env.KAFKA_BOOTSTRAP;
  if (bootstrap === undefined || bootstrap === '') {
    state = mkdtempSync(join(tmpdir(), 'sluice-bench-kafka-'));
    process.stderr.write('kafka-sink: starting a broker (scripts/services/start-kafka.sh)...\n');
    execFileSync(join(SCRIPTS, 'install-kafka.sh'), { stdio: ['ignore', 'ignore', 'inherit'] });
    bootstrap = execFileSync(join(SCRIPTS, 'start-kafka.sh'), [state], { encoding: 'utf8' }).trim();
  }
  const sluice = await Sluice.builder().appName('sluice-kafka-sink-bench').workers(1).getOrCreate();
  let status = 0;
  try {
    for (const size of a.sizes.split(',').map(Number)) {
      const total = Number(a.rows);
      const warmup = Number(a.warmup);
      process.stderr.write(`kafka-sink: ${size}-row batches, ${total} rows per mode...\n`);
      let fields: Record<string, StreamFieldValue>;
      try {
        // Two rounds in alternating order (ALO, EOS, EOS, ALO), so drift in machine load hits both modes alike.
        const aloT: ModeTiming = { latencies: [], rows: 0, seconds: 0 };
        const eosT: ModeTiming = { latencies: [], rows: 0, seconds: 0 };
        await runMode(sluice, bootstrap, size, total / 2, warmup, false, aloT);
        await runMode(sluice, bootstrap, size, total / 2, warmup, true, eosT);
        await runMode(sluice, bootstrap, size, total / 2, warmup, true, eosT);
        await runMode(sluice, bootstrap, size, total / 2, warmup, false, aloT);
        const alo = summary(aloT);
        const eos = summary(eosT);
        fields = {
          rowsPerBatch: size,
          rows: total,
          atLeastOnce: { ...alo },
          exactlyOnce: { ...eos },
          throughputRatio: ratio(eos.rowsPerSec, alo.rowsPerSec),
          p50LatencyRatio: ratio(eos.p50Ms, alo.p50Ms),
          p50OverheadMs: eos.p50Ms === null || alo.p50Ms === null ? null : roundTo(eos.p50Ms - alo.p50Ms, 2),
        };
      } catch (e) {
        fields = { rowsPerBatch: size, error: e instanceof Error ? e.message : String(e) };
        status = 1;
      }
      const record: StreamRecord = { workload: 'kafka-sink', ...fields, commit: currentCommit(), timestamp: new Date().toISOString() };
      process.stdout.write(`${JSON.stringify(record)}\n`);
      await appendStreamRecord(a['results-dir'], record);
    }
  } finally {
    await sluice.stop();
    if (state !== null) {
      execFileSync(join(SCRIPTS, 'stop-kafka.sh'), [state, '--clean']);
      rmSync(state, { recursive: true, force: true });
    }
  }
  return status;
}

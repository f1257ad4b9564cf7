/**
 * `npm run bench -- kafka-e2e ...`: Kafka -> fromJson -> 1-minute windowed count -> Kafka,
 * on Sluice and on Apache Spark Structured Streaming (pyspark 4.2.0, local[2]) against the
 * same broker in the same run. See benchmarks/README.md ("Kafka end to end") for the
 * definitions; options in kafka-e2e-options.ts.
 *
 * Order: start the broker (unless --bootstrap / KAFKA_BOOTSTRAP), compile the load
 * generator, start both engine processes, warm each up on a small pre-filled topic, fill
 * the throughput topic once, then alternate the engines run by run: throughput runs, then
 * latency runs per rate. One JSON line per run and one summary line per measurement kind
 * (medians, ratios, targets) go to stdout and `<results-dir>/<UTC date>.jsonl`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../timing.js';
import { roundTo } from '../stream/percentile.js';
import { appendStreamRecord, type StreamRecord } from '../stream/stream-record.js';
import { createTopics, ensureBroker, PROJECT_ROOT, prepareGenerator, sparkVenv } from './bench-setup.js';
import { EngineProcess } from './engine-process.js';
import type { GeneratorSetup } from './generator.js';
import { runGenerator } from './generator.js';
import type { KafkaE2eOptions } from './kafka-e2e-options.js';
import { MAX_RATE_SHARE, parseKafkaE2eArgs } from './kafka-e2e-options.js';
import type { Field, MeasureContext } from './measure.js';
import { measureLatency, measureThroughput } from './measure.js';

type Engine = 'sluice' | 'spark';

async function startEngine(name: Engine, o: KafkaE2eOptions): Promise<EngineProcess> {
  if (name === 'sluice') {
    // KAFKA_E2E_NODE_ARGS: extra node flags for the Sluice process, e.g. '--cpu-prof --cpu-prof-dir=prof'
    const nodeArgs = (process.env.KAFKA_E2E_NODE_ARGS ?? '').split(' ').filter((x) => x !== '');
    const script = join(PROJECT_ROOT, 'dist/benchmarks/kafka/sluice-engine.js');
    return EngineProcess.start('sluice', process.execPath, [...nodeArgs, script, '--workers', String(o.workers)], process.env, 120_000);
  }
  const venv = await sparkVenv();
  const env = { ...process.env, SPARK_LOCAL_IP: '127.0.0.1', PYSPARK_PYTHON: join(venv, 'bin/python') };
  return EngineProcess.start(
    'spark',
    join(venv, 'bin/python'),
    [join(PROJECT_ROOT, 'benchmarks/kafka/spark_engine.py'), join(venv, 'kafka-jars')],
    env,
    300_000,
  );
}

const medianOf = (xs: readonly (Field | undefined)[]): number | null => {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return v.length === 0 ? null : median(v);
};
const ratio = (num: number | null, den: number | null): number | null => (num === null || den === null || den === 0 ? null : roundTo(num / den, 3));

/** An engine's `max` live rate: MAX_RATE_SHARE of its median throughput so far, rounded to 1000 records/s. */
function maxRate(lines: readonly Record<string, Field>[], engine: Engine): number | null {
  const m = medianOf(lines.filter((l) => l.kind === 'throughput' && l.engine === engine && l.error === undefined).map((l) => l.rowsPerSecond));
  return m === null ? null : Math.max(1000, Math.round((m * MAX_RATE_SHARE) / 1000) * 1000);
}

/** Runs the benchmark; resolves the exit status (1 when a run failed or an output count was wrong). */
export async function runKafkaE2e(argv: readonly string[], commit: string | null): Promise<number> {
  const o = parseKafkaE2eArgs(argv);
  let status = 0;
  const lines: Record<string, Field>[] = [];
  const write = async (fields: Record<string, Field>): Promise<void> => {
    const record: StreamRecord = {
      workload: 'kafka-e2e',
      ...fields,
      partitions: o.partitions,
      workers: o.workers,
      commit,
      timestamp: new Date().toISOString(),
    };
    lines.push(fields);
    process.stdout.write(`${JSON.stringify(record)}\n`);
    await appendStreamRecord(o.resultsDir, record);
    if (typeof fields.error === 'string' || (typeof fields.countMismatches === 'number' && fields.countMismatches !== 0)) status = 1;
  };
  const say = (s: string) => process.stderr.write(`kafka-e2e: ${s} (load ${(loadavg()[0] as number).toFixed(1)})\n`);

  const broker = await ensureBroker(o.bootstrap);
  const scratch = await mkdtemp(join(tmpdir(), 'kafka-e2e-'));
  const engines = new Map<Engine, EngineProcess>();
  try {
    say(`broker ${broker.bootstrap}; compiling the load generator`);
    const g = await prepareGenerator(scratch, broker.libsDir, 200_000, o.seed);
    const generator: GeneratorSetup = { ...g, libsDir: broker.libsDir, bootstrap: broker.bootstrap };
    const ctx: MeasureContext = { generator, scratch, triggerMs: o.triggerMs, partitions: o.partitions, runTag: `ke2e${Date.now().toString(36)}` };
    for (const name of o.engines) {
      say(`starting ${name}`);
      try {
        engines.set(name, await startEngine(name, o));
      } catch (e) {
        await write({ kind: 'engine-start', engine: name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    const fillTopic = async (topic: string, records: number) => {
      await createTopics(broker.bootstrap, [{ topic, partitions: o.partitions }]);
      const r = await runGenerator(generator, { mode: 'fill', topic, partitions: o.partitions, records, logFile: join(scratch, `${topic}.log`) });
      say(`filled ${topic}: ${records} records at ${r.summary.achievedRate}/s`);
      return { topic, log: r.log };
    };
    /**
     * Runs `f` on every live engine in turn. A failure becomes an error line and the
     * measurement is tried once more (a broker hiccup on a loaded machine); an engine whose
     * process died, or that fails twice in a row, is dropped from the rest of the run.
     */
    const eachEngine = async (what: string, f: (e: EngineProcess) => Promise<Record<string, Field> | null>) => {
      for (const [name, e] of engines) {
        for (let attempt = 1; attempt <= 2; attempt++) {
          say(`${what}: ${name}${attempt > 1 ? ' (again)' : ''}`);
          try {
            const fields = await f(e);
            if (fields !== null) await write(fields);
            break;
          } catch (err) {
            await write({ kind: 'error', step: what, engine: name, attempt, error: err instanceof Error ? err.message : String(err) });
            if (attempt === 2 || !e.alive) {
              await e.close(5_000).catch(() => undefined);
              engines.delete(name);
              break;
            }
          }
        }
      }
    };

    const warm = await fillTopic(`${ctx.runTag}-warm`, 200_000);
    await eachEngine('warm-up', async (e) => {
      const r = await measureThroughput(e, ctx, warm, o.maxOffsetsPerTrigger, 0, 300_000);
      if (r.complete !== true) throw new Error(`the warm-up query did not complete (${r.pendingKeys} keys short): ${r.engineError ?? ''}`);
      return null;
    });
    if (o.fillRecords > 0 && o.throughputRuns > 0) {
      const fill = await fillTopic(`${ctx.runTag}-fill`, o.fillRecords);
      for (let run = 1; run <= o.throughputRuns; run++) {
        await eachEngine('throughput', (e) => measureThroughput(e, ctx, fill, o.maxOffsetsPerTrigger, run, 600_000));
      }
    }
    for (const rate of o.rates) {
      for (let run = 1; run <= o.runs; run++) {
        await eachEngine(`latency ${rate}/s run ${run}`, async (e) => {
          const r = rate === 'max' ? maxRate(lines, e.name as Engine) : rate;
          if (r === null) throw new Error('no throughput measured in this run, so no max rate (run with --throughput-runs > 0)');
          return { ...(await measureLatency(e, ctx, { ...o, rate: r }, run)), rate: String(rate) };
        });
      }
    }
    await writeSummaries(o, lines, write);
  } finally {
    for (const e of engines.values()) await e.close().catch(() => undefined);
    await broker.stop();
    await rm(scratch, { recursive: true, force: true });
  }
  return status;
}

/** One summary line per measurement kind: medians over runs per engine, the ratios and the targets. */
async function writeSummaries(o: KafkaE2eOptions, lines: readonly Record<string, Field>[], write: (f: Record<string, Field>) => Promise<void>): Promise<void> {
  const of = (kind: string, engine: Engine, rate?: number | 'max') =>
    lines.filter((l) => l.kind === kind && l.engine === engine && (rate === undefined || l.rate === String(rate)) && l.error === undefined);
  const tput = (e: Engine) => medianOf(of('throughput', e).map((l) => l.rowsPerSecond));
  const cpu = (e: Engine) => medianOf(of('throughput', e).map((l) => l.engineCpuUsPerRow));
  if (o.fillRecords > 0 && o.throughputRuns > 0) {
    const s = tput('sluice');
    const p = tput('spark');
    await write({
      kind: 'throughput-summary',
      records: o.fillRecords,
      sluiceRowsPerSecond: s,
      sparkRowsPerSecond: p,
      throughputRatio: ratio(s, p),
      sluiceCpuUsPerRow: cpu('sluice'),
      sparkCpuUsPerRow: cpu('spark'),
      cpuRatio: ratio(cpu('spark'), cpu('sluice')),
      targetRatio: 3,
      meetsTarget: s !== null && p !== null && s >= 3 * p,
      runs: o.throughputRuns,
    });
  }
  for (const rate of o.rates) {
    const m = (e: Engine, f: string) => medianOf(of('latency', e, rate).map((l) => l[f]));
    const sluiceP99 = m('sluice', 'p99LatencyMs');
    await write({
      kind: 'latency-summary',
      rate: String(rate),
      sluiceInputRowsPerSecond: m('sluice', 'inputRowsPerSecond'),
      sparkInputRowsPerSecond: m('spark', 'inputRowsPerSecond'),
      triggerMs: o.triggerMs,
      sluiceP50LatencyMs: m('sluice', 'p50LatencyMs'),
      sluiceP99LatencyMs: sluiceP99,
      sparkP50LatencyMs: m('spark', 'p50LatencyMs'),
      sparkP99LatencyMs: m('spark', 'p99LatencyMs'),
      p50Ratio: ratio(m('spark', 'p50LatencyMs'), m('sluice', 'p50LatencyMs')),
      p99Ratio: ratio(m('spark', 'p99LatencyMs'), sluiceP99),
      sluiceRunsComplete: of('latency', 'sluice', rate).filter((l) => l.missingRecords === 0).length,
      sparkRunsComplete: of('latency', 'spark', rate).filter((l) => l.missingRecords === 0).length,
      sluiceRunsGeneratorKeptUp: of('latency', 'sluice', rate).filter((l) => l.generatorKeptUp === true).length,
      sparkRunsGeneratorKeptUp: of('latency', 'spark', rate).filter((l) => l.generatorKeptUp === true).length,
      targetP99Ms: o.triggerMs + 50,
      meetsTarget: sluiceP99 !== null && sluiceP99 <= o.triggerMs + 50,
      runs: o.runs,
    });
  }
}

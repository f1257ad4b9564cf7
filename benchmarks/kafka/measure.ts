import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { roundTo } from '../stream/percentile.js';
import { createTopics, deleteTopics } from './bench-setup.js';
import { CompletionTracker } from './completion-tracker.js';
import type { EngineEvent, EngineProcess } from './engine-process.js';
import type { GeneratorSetup } from './generator.js';
import { runGenerator } from './generator.js';
import { attributeLatencies, weightedPercentile } from './latency-attribution.js';
import { OutputWatcher } from './output-watcher.js';
import type { ProduceLog } from './produce-log.js';
import { logRecords } from './produce-log.js';
import { treeCpuSeconds } from './process-cpu.js';

/** What a measurement needs besides the engine. */
export interface MeasureContext {
  readonly generator: GeneratorSetup;
  readonly scratch: string;
  readonly triggerMs: number;
  readonly partitions: number;
  /** Unique prefix of this run's topics and queries. */
  readonly runTag: string;
}

/** A JSON field value of a result line. */
export type Field = number | string | boolean | null | readonly number[];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => performance.timeOrigin + performance.now();

/** Starts an output watcher, trying again (up to 3 times) when the broker does not know the new topic yet. */
async function startWatcher(bootstrap: string, topic: string): Promise<OutputWatcher> {
  for (let attempt = 1; ; attempt++) {
    const watcher = new OutputWatcher(bootstrap, topic);
    try {
      await watcher.start();
      return watcher;
    } catch (e) {
      await watcher.stop().catch(() => undefined);
      if (attempt === 3) throw e;
      await sleep(1000);
    }
  }
}

/** Engine-side numbers of a stopped query: batches, rows, and rows per second of batch time. */
function batchStats(stopped: EngineEvent): Record<string, Field> {
  const b = (stopped.batches ?? []).filter((x) => x[0] > 0);
  const rows = b.reduce((s, x) => s + x[0], 0);
  const ms = b.reduce((s, x) => s + x[1], 0);
  const sorted = b.map((x) => x[1]).sort((x, y) => x - y);
  return {
    engineBatches: b.length,
    engineInputRows: rows,
    engineMedianBatchMs: sorted.length === 0 ? null : (sorted[Math.floor(sorted.length / 2)] as number),
    engineMaxBatchMs: sorted.length === 0 ? null : (sorted[sorted.length - 1] as number),
    engineRowsPerBatchSecond: ms > 0 ? Math.round((rows * 1000) / ms) : null,
  };
}

/** Waits until `tracker` sees every key complete in `watcher`'s rows, or `timeoutMs` passes; true when complete. */
async function waitComplete(tracker: CompletionTracker, watcher: OutputWatcher, timeoutMs: number, engine: EngineProcess): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (tracker.update(watcher.rows)) return true;
    if (!engine.alive) return false;
    await sleep(20);
  }
  return tracker.update(watcher.rows);
}

/**
 * Throughput: the engine (warm: it ran the pipeline before) starts the pipeline on a
 * pre-filled topic of `records` records, with `maxOffsetsPerTrigger`, and the clock runs
 * from the start command until a consumer of the output topic has seen every window's
 * final count. rowsPerSecond = records / that time (so it includes starting the query).
 */
export async function measureThroughput(
  engine: EngineProcess,
  ctx: MeasureContext,
  fill: { readonly topic: string; readonly log: ProduceLog },
  maxOffsetsPerTrigger: number,
  run: number,
  timeoutMs: number,
): Promise<Record<string, Field>> {
  const id = `${ctx.runTag}-tput-${engine.name}-${run}`;
  const output = `${id}-out`;
  await createTopics(ctx.generator.bootstrap, [{ topic: output, partitions: 1 }]);
  const watcher = await startWatcher(ctx.generator.bootstrap, output);
  const tracker = new CompletionTracker(fill.log);
  const load0 = loadavg()[0] as number;
  const cpu0 = treeCpuSeconds(engine.pid);
  const t0 = nowMs();
  await engine.request(
    {
      cmd: 'start',
      id,
      bootstrap: ctx.generator.bootstrap,
      input: fill.topic,
      output,
      triggerMs: ctx.triggerMs,
      maxOffsetsPerTrigger,
      checkpoint: join(ctx.scratch, id),
    },
    120_000,
  );
  const complete = await waitComplete(tracker, watcher, timeoutMs, engine);
  const cpu = treeCpuSeconds(engine.pid) - cpu0;
  const load1 = loadavg()[0] as number;
  const stopped = await engine.request({ cmd: 'stop', id }, 120_000);
  await watcher.stop();
  await deleteTopics(ctx.generator.bootstrap, [output]);
  const records = logRecords(fill.log);
  const seconds = (tracker.completedAtMs - t0) / 1000;
  return {
    kind: 'throughput',
    engine: engine.name,
    run,
    records,
    maxOffsetsPerTrigger,
    triggerMs: ctx.triggerMs,
    complete,
    pendingKeys: tracker.pending,
    seconds: complete ? roundTo(seconds, 3) : null,
    rowsPerSecond: complete ? Math.round(records / seconds) : null,
    engineCpuSeconds: roundTo(cpu, 2),
    engineCpuUsPerRow: complete ? roundTo((cpu * 1e6) / records, 2) : null,
    ...batchStats(stopped),
    engineError: stopped.error ?? null,
    loadAvgStart: roundTo(load0, 2),
    loadAvgEnd: roundTo(load1, 2),
  };
}

/**
 * Latency at a fixed input rate: fresh input and output topics, the engine starts the
 * pipeline, the load generator produces `rate` records/s for warm-up + measured seconds,
 * a consumer of the output topic timestamps every output row, and each input record
 * produced during the measured span gets its latency (see {@link attributeLatencies}).
 */
export async function measureLatency(
  engine: EngineProcess,
  ctx: MeasureContext,
  o: { readonly rate: number; readonly warmupSeconds: number; readonly measureSeconds: number; readonly drainSeconds: number },
  run: number,
): Promise<Record<string, Field>> {
  const id = `${ctx.runTag}-lat-${engine.name}-${o.rate}-${run}`;
  const input = `${id}-in`;
  const output = `${id}-out`;
  await createTopics(ctx.generator.bootstrap, [
    { topic: input, partitions: ctx.partitions },
    { topic: output, partitions: 1 },
  ]);
  const watcher = await startWatcher(ctx.generator.bootstrap, output);
  const load0 = loadavg()[0] as number;
  await engine.request(
    {
      cmd: 'start',
      id,
      bootstrap: ctx.generator.bootstrap,
      input,
      output,
      triggerMs: ctx.triggerMs,
      maxOffsetsPerTrigger: null,
      checkpoint: join(ctx.scratch, id),
    },
    120_000,
  );
  await sleep(1000);
  const cpu0 = treeCpuSeconds(engine.pid);
  const gen = await runGenerator(ctx.generator, {
    mode: 'live',
    topic: input,
    partitions: ctx.partitions,
    rate: o.rate,
    seconds: o.warmupSeconds + o.measureSeconds,
    logFile: join(ctx.scratch, `${id}.log`),
    first: run * 7919,
  });
  const cpu = treeCpuSeconds(engine.pid) - cpu0;
  const tracker = new CompletionTracker(gen.log);
  const complete = await waitComplete(tracker, watcher, o.drainSeconds * 1000, engine);
  const load1 = loadavg()[0] as number;
  const stopped = await engine.request({ cmd: 'stop', id }, 120_000);
  await watcher.stop();
  await deleteTopics(ctx.generator.bootstrap, [input, output]);
  const fromMs = gen.summary.startWallMs + o.warmupSeconds * 1000;
  const toMs = gen.summary.startWallMs + (o.warmupSeconds + o.measureSeconds) * 1000;
  const a = attributeLatencies(gen.log, watcher.rows, fromMs, toMs);
  const p = (q: number) => roundTo(weightedPercentile(a.latencies, a.weights, q), 1);
  const p99 = weightedPercentile(a.latencies, a.weights, 99);
  return {
    kind: 'latency',
    engine: engine.name,
    run,
    inputRowsPerSecond: o.rate,
    triggerMs: ctx.triggerMs,
    p50LatencyMs: p(50),
    p90LatencyMs: p(90),
    p99LatencyMs: a.missingRecords > 0 ? null : roundTo(p99, 1),
    maxLatencyMs: a.missingRecords > 0 ? null : p(100),
    targetP99Ms: ctx.triggerMs + 50,
    meetsTarget: a.missingRecords === 0 && p99 <= ctx.triggerMs + 50,
    measuredRecords: a.measuredRecords,
    missingRecords: a.missingRecords,
    countMismatches: a.countMismatches,
    keys: a.keys,
    outputRows: watcher.rows.length,
    unparsedOutputRows: watcher.unparsed,
    complete,
    generatorRecords: gen.summary.records,
    generatorAchievedRate: gen.summary.achievedRate,
    generatorKeptUp: gen.summary.achievedRate >= 0.95 * o.rate,
    generatorSendP99Ms: gen.summary.sendP99Ms,
    generatorCpuSeconds: gen.summary.cpuSeconds,
    engineCpuSeconds: roundTo(cpu, 2),
    engineCpuUsPerRow: roundTo((cpu * 1e6) / gen.summary.records, 2),
    ...batchStats(stopped),
    engineError: stopped.error ?? null,
    loadAvgStart: roundTo(load0, 2),
    loadAvgEnd: roundTo(load1, 2),
  };
}

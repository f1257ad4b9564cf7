/**
 * The micro-batch loop: the one place that orders the steps of a batch, and so the one
 * place the exactly-once argument lives.
 *
 * Every batch N runs in exactly this order:
 *   1. latestOffset  each source's end offset from its committed offset, under its read limit;
 *                    no source moved: no batch (idle).
 *   2. walCommit     write `offsets/N` = {batchWatermarkMs, batchTimestampMs, pinned conf
 *                    (state partitions), one offset per source in plan order}, atomically
 *                    (temp file, fsync, rename; never overwriting an existing N); then tell
 *                    the sources batch N-1 is durable and purge log entries older than
 *                    `minBatchesToRetain`.
 *   3. getBatch      each source's plan for (committed, end]; empty for sources that did not move.
 *   4. queryPlanning bind the streaming leaves to those plans: the batch is a batch job.
 *   5. addBatch      run it (stateful aggregation against state version N) and hand the
 *                    result to `sink.addBatch(N)`.
 *   6. commitOffsets state stores commit version N+1, then `commits/N` is written.
 *
 * Recovery rules (decided by planRecovery from the two logs when the query starts):
 *   - no offsets: a fresh query; batch 0 starts at each source's initial offset.
 *   - commits/N exists for the newest offsets/N: continue with batch N+1 from offsets[N].
 *   - commits/N missing: re-run batch N with exactly offsets/N (same offsets, batch time,
 *     watermark and pinned conf), starting from offsets[N-1]. Sources return the same rows
 *     for the same range; state version N is reloaded and version N+1 overwritten; the sink
 *     skips N if it already committed it. A crash anywhere therefore yields each batch's
 *     output exactly once in an exactly-once sink.
 *   - pinned conf (the number of state partitions) comes from the log, never the session,
 *     once a checkpoint has batches.
 */
import { runWithBatchCounters } from '../../common/batch-counters.js';
import { SluiceError } from '../../common/errors.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { DataFrame } from '../../dataframe/data-frame.js';
import type { Clock } from '../../scheduler/clock.js';
import type { Trigger } from '../../scheduler/trigger.js';
import type { OutputMode, Sink } from '../../sinks/sink.js';
import { readParquetFooter } from '../../sources/file/parquet-footer.js';
import { FILE_IO_CONCURRENCY, mapLimit } from '../../common/map-limit.js';
import type { Offset, ReadLimit } from '../../sources/source.js';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import type { FileManager } from '../../common/log/file-manager.js';
import type { OffsetLogEntry } from '../checkpoint/offset-log.js';
import { planRecovery, purgeOldBatches } from '../checkpoint/recovery-plan.js';
import type { BatchPlanner } from './batch-planner.js';
import type { BatchDurations, SourceProgress, StreamingQueryProgress } from '../../dataframe/query-progress.js';
import { newDurations, rowsPerSecond } from './query-progress.js';
import { phaseTrackingExecutor } from './phase-tracking-executor.js';
import type { StreamSourceHandle } from './stream-source-handle.js';
import { IncrementalExecution } from './stateful/incremental-execution.js';
import type { StatefulBatchContext } from './stateful/stateful-operator.js';
import { StateExecutors } from './stateful/state-executors.js';
import type { EventTimeStats, WatermarkPolicy } from './stateful/watermark-tracker.js';
import { mergeEventTimeStats, NO_EVENT_TIME, WatermarkTracker } from './stateful/watermark-tracker.js';
import type { StreamingPlanShape } from './streaming-plan-shape.js';
import type { NoDataBatchRule } from './no-data-batches.js';
import { needsNoDataBatch } from './no-data-batches.js';

/** Rows a batch's input plan holds: counted in memory, or from Parquet footers for a Parquet file scan. */
async function inputRows(plan: LogicalPlan): Promise<number> {
  if (plan.kind === 'local') return plan.batches.reduce((n, b) => n + b.numRows, 0);
  if (plan.kind === 'fileScan' && plan.format === 'parquet') {
    const footers = await mapLimit(plan.files, FILE_IO_CONCURRENCY, (f) => readParquetFooter(f.path, f));
    return footers.reduce((n, f) => n + f.numRows, 0);
  }
  return 0;
}

/** The watermark of the end-of-input flush batch: the largest time a JS Date holds (year 275760). */
export const END_OF_INPUT_WATERMARK_MS = 8_640_000_000_000_000;

/** Conf key of the number of state partitions, pinned in the offset log. */
export const STATE_PARTITIONS_CONF = 'sluice.sql.shuffle.partitions';

/** Everything one run of a query needs; built by the stream execution when it starts. */
export interface MicroBatchContext {
  readonly queryId: string;
  readonly runId: string;
  readonly name: string | null;
  readonly checkpoint: Checkpoint;
  readonly fileManager: FileManager;
  readonly sources: readonly StreamSourceHandle[];
  readonly sink: Sink;
  readonly outputMode: OutputMode;
  readonly plan: LogicalPlan;
  readonly shape: StreamingPlanShape;
  readonly planner: BatchPlanner;
  readonly clock: Clock;
  readonly trigger: Trigger;
  /** Settings to pin for a new checkpoint. */
  readonly pinnedConfDefaults: Readonly<Record<string, string>>;
  readonly minBatchesToRetain: number;
  readonly stateSnapshotInterval: number;
  /** How the query watermark is chosen from several `withWatermark` inputs. */
  readonly watermarkPolicy: WatermarkPolicy;
  /** After this long without rows (processing time), an input's watermark advances with processing time; 0 = never (Spark). */
  readonly watermarkIdleTimeoutMs: number;
  /** When batches without new rows run. */
  readonly noDataBatches: NoDataBatchRule;
  /** AvailableNow: end with a batch whose watermark is the end of time (emits all event-time state). */
  readonly flushAtEnd: boolean;
  /** Receives the late rows stateful operators drop, batch by batch; null = count them only. */
  readonly lateRowsSink: LateRowsSink | null;
}

/** Where dropped late rows go (see the `lateRowsPath` option of writeStream). */
export interface LateRowsSink {
  /** Writes the late rows operator `operatorId` dropped in batch `batchId`; a re-run of the batch overwrites them. */
  write(batchId: number, operatorId: number, rows: readonly import('../../common/column-vector.js').ColumnarBatch[]): Promise<void>;
}

/** What the loop tells its owner. */
export interface MicroBatchHooks {
  /** The phase now running, for status and error messages. */
  onPhase(message: string): void;
  onProgress(progress: StreamingQueryProgress): void;
  /** A trigger found no new data. */
  onIdle(): void;
  onWarning(message: string): void;
}

/** One trigger's outcome. */
export type TriggerOutcome = 'ranBatch' | 'noData';

const json = (o: Offset): string => JSON.stringify(o);

/** Runs the batches of one query run; see the file header for the order and the recovery rules. */
export class MicroBatchExecution {
  /** The batch id the next batch gets. */
  nextBatchId = 0;
  /** The batch currently running, or null between batches. */
  currentBatchId: number | null = null;
  private committed: (string | null)[];
  /** The watermark the next new batch runs with (from the last commit). */
  private watermarkMs = 0;
  /** The watermark the last batch ran with: the late-events watermark of the next batch. */
  private lastBatchWatermarkMs = 0;
  private tracker: WatermarkTracker = new WatermarkTracker([], 'min', 0, 0, undefined);
  private lastEventTime: EventTimeStats = NO_EVENT_TIME;
  private pinnedConf: Record<string, string> = {};
  private rerun: { batchId: number; entry: OffsetLogEntry } | undefined;
  private incremental: IncrementalExecution | null = null;
  /** State executor threads of this run (threads start when an operator that keeps its state there is created). */
  private readonly stateExecutors: StateExecutors;
  private lastTriggerStartMs: number | null = null;
  private readonly limits: ReadLimit[];
  private lastOutputRows = -1;
  /** Counters of the last batch (see common/batch-counters.ts), reported as progress `metrics`. */
  private batchCounters: Record<string, number> = {};
  /** Whether a batch ran in this run of the query (Spark asks the last batch's plan for a no-data batch; before the first there is none). */
  private ranBatch = false;

  constructor(
    private readonly ctx: MicroBatchContext,
    private readonly hooks: MicroBatchHooks,
  ) {
    this.committed = ctx.sources.map(() => null);
    this.limits = ctx.sources.map((s) => (ctx.trigger.kind === 'once' ? {} : s.readLimit));
    this.stateExecutors = new StateExecutors(ctx.planner.pool.size);
  }

  /** True when the first batch of this run re-runs a batch logged before a crash. */
  get resumesWithReplay(): boolean {
    return this.rerun !== undefined;
  }

  /** Reads the logs and decides where to resume (see the header). */
  async start(): Promise<void> {
    const { checkpoint, sources } = this.ctx;
    this.hooks.onPhase('Recovering from the checkpoint');
    const plan = await planRecovery(checkpoint.offsetLog, checkpoint.commitLog);
    for (const w of plan.warnings) this.hooks.onWarning(w);
    this.nextBatchId = plan.nextBatchId;
    this.watermarkMs = plan.watermarkMs;
    this.lastBatchWatermarkMs = plan.startOffsets?.batchWatermarkMs ?? 0;
    this.tracker = new WatermarkTracker(
      this.ctx.shape.watermarks.map((w) => w.delayMs),
      this.ctx.watermarkPolicy,
      this.ctx.watermarkIdleTimeoutMs,
      plan.watermarkMs,
      plan.lastCommit?.watermarks,
    );
    this.rerun = plan.rerun;
    const logged = plan.rerun?.entry ?? plan.startOffsets;
    if (logged !== undefined && logged.offsets.length !== sources.length) {
      throw new SluiceError(
        'INVALID_PLAN',
        `The checkpoint at '${checkpoint.layout.root}' was written by a query with ${logged.offsets.length} source(s), but this query has ${sources.length}. ` +
          'A checkpoint belongs to one query: use a new checkpoint location for a changed query.',
      );
    }
    this.pinnedConf = { ...this.ctx.pinnedConfDefaults, ...(logged?.conf ?? {}) };
    if (plan.startOffsets !== undefined) this.committed = [...plan.startOffsets.offsets];
    try {
      await this.prepareState();
    } catch (e) {
      await this.stateExecutors.close();
      throw e;
    }
    if (this.ctx.trigger.kind === 'availableNow') {
      for (const s of sources) await s.source.prepareForTriggerAvailableNow?.();
    }
  }

  private async prepareState(): Promise<void> {
    const { shape } = this.ctx;
    let numPartitions = 1;
    if (shape.stateful.length > 0) {
      numPartitions = Number(this.pinnedConf[STATE_PARTITIONS_CONF]);
      if (!Number.isInteger(numPartitions) || numPartitions < 1) {
        throw new SluiceError(
          'CHECKPOINT_CORRUPT',
          `The pinned setting ${STATE_PARTITIONS_CONF} is '${this.pinnedConf[STATE_PARTITIONS_CONF]}', not a positive integer. Start the query with a new checkpoint location.`,
        );
      }
    }
    this.incremental = new IncrementalExecution(
      this.ctx.plan,
      shape,
      {
        numPartitions,
        fileManager: this.ctx.fileManager,
        layout: this.ctx.checkpoint.layout,
        planner: this.ctx.planner,
        snapshotInterval: this.ctx.stateSnapshotInterval,
        minVersionsToRetain: this.ctx.minBatchesToRetain,
        outputMode: this.ctx.outputMode,
        stateExecutors: this.stateExecutors,
      },
      this.ctx.lateRowsSink !== null,
    );
    if (this.nextBatchId > 0 && this.incremental.isStateful) {
      const empty = new Map(shape.sources.map((s) => [s.sourceId, buildLocalRelation(s.schema, []) as LogicalPlan]));
      await this.incremental.verify(empty, this.nextBatchId);
    }
  }

  /**
   * Under AvailableNow with `sluice.streaming.availableNow.flushAtEnd`: once every source is
   * read to its end and stateful operators still hold event-time state, one last batch runs
   * with the watermark at the end of time, so every window, session and outer-join row is
   * emitted. The checkpoint's watermark stays there: rows added later are all late.
   */
  private needsEndOfInputFlush(): boolean {
    if (!this.ctx.flushAtEnd || this.ctx.trigger.kind !== 'availableNow') return false;
    const inc = this.incremental;
    if (inc === null || this.watermarkMs >= END_OF_INPUT_WATERMARK_MS) return false;
    return inc.hasEventTimeDeadline();
  }

  /** Whether a batch without new rows should run now (see {@link needsNoDataBatch}). */
  private needsNoDataBatch(nowMs: number): boolean {
    const inc = this.incremental;
    if (inc === null || !inc.isStateful) return false;
    return needsNoDataBatch(this.ctx.noDataBatches, inc, {
      nowMs,
      ranBatchInRun: this.ranBatch,
      nextWatermarkMs: this.watermarkMs,
      lastWatermarkMs: this.lastBatchWatermarkMs,
      idleTimeoutMs: this.ctx.watermarkIdleTimeoutMs,
      candidateWatermarkMs: () => this.tracker.candidate(nowMs),
    });
  }

  /** One trigger: re-runs the logged batch, or runs a new batch if any source has new data. */
  async runTrigger(): Promise<TriggerOutcome> {
    const durations = newDurations();
    const startedAt = this.ctx.clock.now();
    const t0 = performance.now();
    let entry: OffsetLogEntry;
    let batchId: number;
    let latest: (string | null)[];
    if (this.rerun !== undefined) {
      ({ batchId, entry } = this.rerun);
      this.rerun = undefined;
      latest = [...entry.offsets];
    } else {
      this.hooks.onPhase('Getting offsets from sources');
      latest = await this.timed(durations, 'latestOffset', () => this.latestOffsets());
      const noNewData = latest.every((o, i) => o === this.committed[i]);
      const flush = noNewData && this.needsEndOfInputFlush();
      if (noNewData && !flush && !this.needsNoDataBatch(startedAt)) {
        this.hooks.onIdle();
        return 'noData';
      }
      batchId = this.nextBatchId;
      this.tracker.setCurrent(flush ? END_OF_INPUT_WATERMARK_MS : this.watermarkMs);
      const batchWatermarkMs = this.tracker.advance(startedAt);
      entry = { batchWatermarkMs, batchTimestampMs: startedAt, conf: { ...this.pinnedConf }, offsets: latest };
      await this.timed(durations, 'walCommit', () => this.writeAheadLog(batchId, entry));
    }
    this.currentBatchId = batchId;
    const starts = [...this.committed];
    // On failure currentBatchId stays set, so the error names the batch.
    const counters: Record<string, number> = {};
    const sourceRows = await runWithBatchCounters(counters, () => this.runLoggedBatch(batchId, entry, durations));
    this.batchCounters = counters;
    durations.triggerExecution = performance.now() - t0;
    this.currentBatchId = null;
    this.hooks.onProgress(this.progress(batchId, startedAt, durations, sourceRows, starts, latest, entry));
    this.lastTriggerStartMs = startedAt;
    return 'ranBatch';
  }

  private async latestOffsets(): Promise<(string | null)[]> {
    const out: (string | null)[] = [];
    for (const [i, s] of this.ctx.sources.entries()) {
      const committed = this.committed[i] ?? null;
      const start: Offset = committed === null ? await s.source.initialOffset() : (JSON.parse(committed) as Offset);
      const end = await s.source.latestOffset(start, this.limits[i] ?? {});
      out.push(committed === null && json(end) === json(start) ? null : json(end));
    }
    return out;
  }

  private async writeAheadLog(batchId: number, entry: OffsetLogEntry): Promise<void> {
    const { checkpoint, sources } = this.ctx;
    this.hooks.onPhase(`Writing offsets/${batchId}`);
    if (!(await checkpoint.offsetLog.add(batchId, entry))) {
      throw new SluiceError(
        'CHECKPOINT_LOCKED',
        `Concurrent update to the checkpoint: '${checkpoint.offsetLog.pathOf(batchId)}' was written by someone else. Make sure only one query uses this checkpoint location.`,
      );
    }
    for (const [i, s] of sources.entries()) {
      const done = this.committed[i];
      if (done !== null && done !== undefined) await s.source.commit(JSON.parse(done) as Offset);
    }
    await purgeOldBatches(checkpoint.offsetLog, checkpoint.commitLog, batchId, this.ctx.minBatchesToRetain);
  }

  /** Steps 3-6 for a batch whose offsets are logged. Returns the input rows per source. */
  private async runLoggedBatch(batchId: number, entry: OffsetLogEntry, d: BatchDurations): Promise<number[]> {
    const { sources, sink, outputMode, planner, checkpoint } = this.ctx;
    const batchPlans = new Map<string, LogicalPlan>();
    const rows: number[] = [];
    await this.timed(d, 'getBatch', async () => {
      for (const [i, s] of sources.entries()) {
        const end = entry.offsets[i] ?? null;
        const start = this.committed[i] ?? null;
        let plan: LogicalPlan = buildLocalRelation(s.schema, []);
        if (end !== null && end !== start) {
          this.hooks.onPhase(`getBatch from ${s.description}`);
          plan = await s.source.getBatch(start === null ? null : (JSON.parse(start) as Offset), JSON.parse(end) as Offset);
          // Parquet batches stay file scans, so worker tasks read the files themselves; their
          // row counts come from the footers. Other inputs are read once here to count them.
          if (plan.kind !== 'local' && !(plan.kind === 'fileScan' && plan.format === 'parquet')) plan = await planner.executor.materialize(plan);
        }
        rows.push(await inputRows(plan));
        batchPlans.set(s.sourceId, plan);
      }
    });
    this.hooks.onPhase(`Running batch ${batchId}`);
    const inc = this.incremental as IncrementalExecution;
    const batchCtx: StatefulBatchContext = {
      batchId,
      outputMode,
      lateWatermarkMs: this.lastBatchWatermarkMs,
      evictionWatermarkMs: entry.batchWatermarkMs,
      batchTimestampMs: entry.batchTimestampMs,
    };
    this.lastOutputRows = -1;
    let eventTime: readonly EventTimeStats[] = [];
    await this.timed(d, 'addBatch', async () => {
      const result = await inc.runBatch(batchPlans, batchCtx, planner.executor, (op) =>
        this.hooks.onPhase(`${op.name} (operator ${op.operatorId}) in batch ${batchId}`),
      );
      eventTime = result.eventTime;
      if (result.plan.kind === 'local') this.lastOutputRows = result.plan.batches.reduce((n, b) => n + b.numRows, 0);
      const late = this.ctx.lateRowsSink;
      if (late !== null) for (const r of result.droppedRows) await late.write(batchId, r.operatorId, r.rows);
      const toSink = `addBatch ${batchId} to ${sink.description}`;
      this.hooks.onPhase(toSink);
      const executor = phaseTrackingExecutor(
        planner.executor,
        () => this.hooks.onPhase(`running the query plan of batch ${batchId}`),
        () => this.hooks.onPhase(toSink),
      );
      await sink.addBatch(batchId, new DataFrame(result.plan, executor), outputMode);
    }).catch((e: unknown) => {
      inc.abort();
      throw e;
    });
    await this.timed(d, 'commitOffsets', async () => {
      this.hooks.onPhase(`Committing batch ${batchId}`);
      await inc.commit();
      for (const w of inc.epochWarnings()) this.hooks.onWarning(w);
      this.tracker.setCurrent(entry.batchWatermarkMs);
      this.tracker.observe(eventTime, entry.batchTimestampMs);
      const next = this.tracker.advance(entry.batchTimestampMs);
      const commit = this.tracker.size === 0 ? { nextBatchWatermarkMs: next } : { nextBatchWatermarkMs: next, watermarks: this.tracker.snapshot() };
      if (!(await checkpoint.commitLog.add(batchId, commit))) {
        throw new SluiceError(
          'CHECKPOINT_LOCKED',
          `Concurrent update to the checkpoint: '${checkpoint.commitLog.pathOf(batchId)}' exists already. Make sure only one query uses this checkpoint location.`,
        );
      }
      this.watermarkMs = next;
      // Sources that publish progress (the Kafka source's consumer-group commit) hear of the
      // commit right away, not only when the next batch is logged.
      for (const [i, s] of this.ctx.sources.entries()) {
        const end = entry.offsets[i];
        if (s.source.commitAfterBatch === true && end !== null && end !== undefined) await s.source.commit(JSON.parse(end) as Offset);
      }
    });
    this.lastEventTime = eventTime.reduce(mergeEventTimeStats, NO_EVENT_TIME);
    this.lastBatchWatermarkMs = entry.batchWatermarkMs;
    this.committed = [...entry.offsets];
    this.pinnedConf = { ...entry.conf };
    this.nextBatchId = batchId + 1;
    this.ranBatch = true;
    return rows;
  }

  private async timed<T>(d: BatchDurations, key: keyof BatchDurations, fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      d[key] += performance.now() - t;
    }
  }

  private progress(
    batchId: number,
    startedAt: number,
    d: BatchDurations,
    rows: number[],
    starts: readonly (string | null)[],
    latest: (string | null)[],
    entry: OffsetLogEntry,
  ): StreamingQueryProgress {
    const { ctx } = this;
    const sinceLast = this.lastTriggerStartMs === null ? 0 : startedAt - this.lastTriggerStartMs;
    const total = rows.reduce((a, b) => a + b, 0);
    const sources: SourceProgress[] = ctx.sources.map((s, i) => {
      const end = entry.offsets[i] ?? null;
      const metrics = s.source.metrics?.(end === null ? null : (JSON.parse(end) as Offset));
      return {
        description: s.description,
        startOffset: starts[i] ?? null,
        endOffset: end,
        latestOffset: latest[i] ?? null,
        numInputRows: rows[i] ?? 0,
        inputRowsPerSecond: rowsPerSecond(rows[i] ?? 0, sinceLast),
        processedRowsPerSecond: rowsPerSecond(rows[i] ?? 0, d.triggerExecution),
        ...(metrics === undefined ? {} : { metrics }),
      };
    });
    return {
      id: ctx.queryId,
      runId: ctx.runId,
      name: ctx.name,
      timestamp: new Date(startedAt).toISOString(),
      batchId,
      batchDuration: d.triggerExecution,
      numInputRows: total,
      inputRowsPerSecond: rowsPerSecond(total, sinceLast),
      processedRowsPerSecond: rowsPerSecond(total, d.triggerExecution),
      durationMs: { ...d },
      eventTime: this.eventTimeProgress(entry.batchWatermarkMs),
      stateOperators: this.incremental?.progress() ?? [],
      metrics: { ...this.batchCounters },
      sources,
      sink: { description: ctx.sink.description, numOutputRows: this.lastOutputRows },
    };
  }

  /** Spark's `eventTime` map: the batch's watermark, and min/max/avg event time when rows had one. */
  private eventTimeProgress(watermarkMs: number): Record<string, string> {
    const iso = (ms: number): string => new Date(ms).toISOString();
    const e = this.lastEventTime;
    const out: Record<string, string> = { watermark: iso(watermarkMs) };
    if (e.count > 0) {
      out.min = iso(e.minMs);
      out.max = iso(e.maxMs);
      if (Number.isFinite(e.sumMs)) out.avg = iso(Math.round(e.sumMs / e.count));
    }
    return out;
  }

  /** Releases state memory (waits for background snapshots). */
  async close(): Promise<void> {
    try {
      await this.incremental?.close();
    } finally {
      await this.stateExecutors.close();
    }
  }
}

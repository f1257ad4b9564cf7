import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DataFrame, Row } from '../../dataframe/data-frame.js';
import type { StreamOutputMode, StreamTrigger } from '../../dataframe/data-stream-writer.js';
import type { StreamingQuery } from '../../dataframe/streaming-query.js';
import { ManualClock } from '../../scheduler/manual-clock.js';
import type { MemoryRows } from '../../sources/memory/memory-rows.js';
import type { MemoryStream } from '../../sources/memory/memory-stream.js';
import { normalizeRows } from './normalize-rows.js';

/** Options of {@link StreamTest}. */
export interface StreamTestOptions {
  readonly outputMode?: StreamOutputMode;
  /** Key columns for the update-mode view (rows of a later batch replace earlier rows with the same key). */
  readonly keys?: readonly string[];
  /** Trigger; default processingTime(0) on the system clock, or processingTime(intervalMs) on a ManualClock when `manualClockIntervalMs` is set. */
  readonly trigger?: StreamTrigger;
  /** Runs triggers on a ManualClock with this interval: batches happen only on {@link StreamTest.advance}. */
  readonly manualClockIntervalMs?: number;
  /** Checkpoint folder (default: a fresh temp folder, deleted by {@link StreamTest.cleanup}). */
  readonly checkpointLocation?: string;
}

/**
 * The streaming test DSL (in the manner of Spark's StreamTest): start a query over a
 * streaming DataFrame into a recording foreachBatch sink, add data, process it, check the
 * answer after each batch, stop, restart from the same checkpoint, advance a manual clock.
 * Each batch's rows are recorded by batch id, so a re-run batch replaces its own rows and
 * the answer shows exactly-once effects.
 */
export class StreamTest {
  /** Rows of each batch by batch id. */
  readonly batches = new Map<number, Row[]>();
  query: StreamingQuery | null = null;
  readonly clock: ManualClock | null;
  readonly checkpointLocation: string;
  private readonly ownCheckpoint: boolean;

  constructor(
    readonly df: DataFrame,
    readonly options: StreamTestOptions = {},
  ) {
    this.clock = options.manualClockIntervalMs === undefined ? null : new ManualClock(0);
    this.ownCheckpoint = options.checkpointLocation === undefined;
    this.checkpointLocation = options.checkpointLocation ?? mkdtempSync(join(tmpdir(), 'sluice-stream-test-'));
  }

  /** Starts (or restarts) the query on the checkpoint. */
  async start(): Promise<StreamingQuery> {
    const interval = this.options.manualClockIntervalMs;
    let writer = this.df.writeStream
      .outputMode(this.options.outputMode ?? 'append')
      .option('checkpointLocation', this.checkpointLocation)
      .trigger(this.options.trigger ?? { kind: 'processingTime', intervalMs: interval ?? 0 })
      .foreachBatch(async (df, batchId) => {
        this.batches.set(batchId, await df.toArray());
      });
    if (this.clock !== null) writer = writer.clock(this.clock);
    this.query = await writer.start();
    return this.query;
  }

  /** Adds rows to a memory stream. */
  addData(stream: MemoryStream, rows: MemoryRows): void {
    stream.addData(rows);
  }

  /** Waits until the query processed everything added so far (on a manual clock: advances it slot by slot). */
  async processAllAvailable(): Promise<void> {
    const q = this.requireQuery();
    if (this.clock === null) return q.processAllAvailable();
    const done = q.processAllAvailable();
    let settled = false;
    done.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    while (!settled) {
      await Promise.race([this.clock.waitForSleepers(1), done.catch(() => undefined)]);
      if (settled) break;
      this.clock.advance(this.options.manualClockIntervalMs ?? 1);
      await new Promise((r) => setImmediate(r));
    }
    return done;
  }

  /** Advances the manual clock by `ms` and waits until the query sleeps again (or stops). */
  async advance(ms: number): Promise<void> {
    const clock = this.requireClock();
    const q = this.requireQuery();
    await clock.waitForSleepers(1);
    clock.advance(ms);
    await new Promise((r) => setImmediate(r));
    while (q.isActive && clock.sleeperCount === 0) await new Promise((r) => setTimeout(r, 2));
  }

  /** The sink's view: all rows (append), the last batch (complete), or rows upserted by `keys` (update). */
  answer(): Row[] {
    const ids = [...this.batches.keys()].sort((a, b) => a - b);
    const mode = this.options.outputMode ?? 'append';
    if (mode === 'complete') return ids.length === 0 ? [] : (this.batches.get(ids[ids.length - 1] as number) ?? []);
    if (mode === 'append') return ids.flatMap((id) => this.batches.get(id) ?? []);
    const keys = this.options.keys ?? [];
    const table = new Map<string, Row>();
    for (const id of ids) for (const r of this.batches.get(id) ?? []) table.set(JSON.stringify(keys.map((k) => String(r[k]))), r);
    return [...table.values()];
  }

  /** Rows of the newest batch. */
  lastBatch(): Row[] {
    const ids = [...this.batches.keys()].sort((a, b) => a - b);
    return ids.length === 0 ? [] : (this.batches.get(ids[ids.length - 1] as number) ?? []);
  }

  /** Processes what is available, then asserts the sink's view equals `expected` (any order). */
  async checkAnswer(expected: readonly Row[], columns?: readonly string[]): Promise<void> {
    await this.processAllAvailable();
    const cols = columns ?? this.df.columns;
    expect(normalizeRows(this.answer(), cols)).toEqual(normalizeRows(expected, cols));
  }

  /** Processes what is available, then asserts the newest batch's rows equal `expected` (any order). */
  async checkLastBatch(expected: readonly Row[], columns?: readonly string[]): Promise<void> {
    await this.processAllAvailable();
    const cols = columns ?? this.df.columns;
    expect(normalizeRows(this.lastBatch(), cols)).toEqual(normalizeRows(expected, cols));
  }

  /** Stops the query. */
  async stop(): Promise<void> {
    await this.query?.stop();
  }

  /** Stops and starts the query again on the same checkpoint. */
  async restart(): Promise<StreamingQuery> {
    await this.stop();
    return this.start();
  }

  /** Stops the query and deletes a temp checkpoint. */
  async cleanup(): Promise<void> {
    await this.stop();
    if (this.ownCheckpoint) rmSync(this.checkpointLocation, { recursive: true, force: true });
  }

  private requireQuery(): StreamingQuery {
    if (this.query === null) throw new Error('StreamTest: call start() first.');
    return this.query;
  }

  private requireClock(): ManualClock {
    if (this.clock === null) throw new Error('StreamTest: pass manualClockIntervalMs to use advance().');
    return this.clock;
  }
}

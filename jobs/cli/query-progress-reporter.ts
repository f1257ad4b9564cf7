import type { StreamingQueryProgress } from '../../dataframe/query-progress.js';
import type {
  QueryIdleEvent,
  QueryProgressEvent,
  QueryStartedEvent,
  QueryTerminatedEvent,
  StreamingQueryListener,
} from '../../engine/execution/query-listener.js';

/** `auto`: a live line per query on a terminal, JSON lines otherwise; `text`: one plain line per batch; `json`: JSON lines. */
export type LogFormat = 'auto' | 'text' | 'json';

/** The stream progress is written to; `isTTY` decides what `auto` means. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** Terminal width; live lines are cut to it so that they never wrap (a wrapped line cannot be rewritten in place). */
  readonly columns?: number;
}

/** What a run was, for {@link QueryProgressReporter.summary}. */
export interface RunInfo {
  readonly job: string;
  readonly mode: string;
  readonly durationMs: number;
  readonly failed: boolean;
}

/** Totals of one query, kept as its progress events arrive. */
interface QueryTotals {
  readonly id: string;
  name: string | null;
  batches: number;
  inputRows: number;
  processingMs: number;
  lateRows: number;
  stateRows: number;
  watermark: string | null;
  last: StreamingQueryProgress | null;
  idle: boolean;
  error: string | null;
  terminated: boolean;
}

const EPOCH = '1970-01-01T00:00:00.000Z';

/** `12.3k`-style compact number. */
export function compact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

function lateRows(p: StreamingQueryProgress): number {
  let n = 0;
  for (const s of p.stateOperators) n += s.numRowsDroppedByWatermark;
  return n;
}

function stateRows(p: StreamingQueryProgress): number {
  let n = 0;
  for (const s of p.stateOperators) n += s.numRowsTotal;
  return n;
}

/** The watermark of a batch, or null when the query has none (Spark reports the epoch then). */
function watermarkOf(p: StreamingQueryProgress): string | null {
  const w = p.eventTime.watermark;
  return w === undefined || w === EPOCH ? null : w;
}

/** One progress line: batch id, input and processing rates, batch duration, watermark, state rows, late rows. */
export function progressLine(p: StreamingQueryProgress, totalLate: number, label?: string): string {
  const who = p.name ?? label ?? p.id.slice(0, 8);
  return (
    `${who}  batch ${p.batchId}  in ${compact(p.inputRowsPerSecond)} rows/s  processed ${compact(p.processedRowsPerSecond)} rows/s  ` +
    `${Math.round(p.batchDuration)} ms  watermark ${watermarkOf(p) ?? '-'}  state ${compact(stateRows(p))} rows  late ${totalLate}`
  );
}

/**
 * Prints the progress of every query of a session: on a terminal (`auto` on a TTY) one
 * live line per query, rewritten in place as batches finish; with `text` one line per
 * batch; with `json` (or `auto` off a terminal) one JSON object per line per listener
 * event (`queryStarted`, `queryProgress` with Spark's progress object, `queryIdle`,
 * `queryTerminated`) and a `summary` object at the end. Register it with
 * `sluice.streams.addListener(reporter)`.
 */
export class QueryProgressReporter implements StreamingQueryListener {
  /** The resolved format: `live`, `text` or `json`. */
  readonly format: 'live' | 'text' | 'json';
  private readonly queries = new Map<string, QueryTotals>();
  private drawn = 0;

  /**
   * @param out - where to write (stderr in the CLI)
   * @param format - see {@link LogFormat}
   * @param label - shown for queries without a name (the CLI passes the job's name)
   */
  constructor(
    private readonly out: ProgressStream,
    format: LogFormat,
    private readonly label?: string,
  ) {
    this.format = format === 'json' ? 'json' : format === 'text' ? 'text' : out.isTTY === true ? 'live' : 'json';
  }

  private totals(id: string, name: string | null = null): QueryTotals {
    let t = this.queries.get(id);
    if (t === undefined) {
      t = {
        id,
        name: name ?? this.label ?? null,
        batches: 0,
        inputRows: 0,
        processingMs: 0,
        lateRows: 0,
        stateRows: 0,
        watermark: null,
        last: null,
        idle: false,
        error: null,
        terminated: false,
      };
      this.queries.set(id, t);
    }
    return t;
  }

  private json(event: string, body: object): void {
    this.out.write(`${JSON.stringify({ event, ...body })}\n`);
  }

  onQueryStarted(e: QueryStartedEvent): void {
    this.totals(e.id, e.name);
    if (this.format === 'json') this.json('queryStarted', e);
    else if (this.format === 'text') this.out.write(`${e.name ?? e.id} started at ${e.timestamp}\n`);
    else this.redraw();
  }

  onQueryProgress(e: QueryProgressEvent): void {
    const p = e.progress;
    const t = this.totals(p.id, p.name);
    if (p.name !== null) t.name = p.name;
    t.batches++;
    t.inputRows += p.numInputRows;
    t.processingMs += p.batchDuration;
    t.lateRows += lateRows(p);
    t.stateRows = stateRows(p);
    t.watermark = watermarkOf(p);
    t.last = p;
    t.idle = false;
    if (this.format === 'json') this.json('queryProgress', { progress: p });
    else if (this.format === 'text') this.out.write(`${progressLine(p, t.lateRows, t.name ?? undefined)}\n`);
    else this.redraw();
  }

  onQueryIdle(e: QueryIdleEvent): void {
    this.totals(e.id).idle = true;
    if (this.format === 'json') this.json('queryIdle', e);
    else if (this.format === 'live') this.redraw();
  }

  onQueryTerminated(e: QueryTerminatedEvent): void {
    const t = this.totals(e.id);
    t.terminated = true;
    t.error = e.exception === null ? null : `[${e.exception.code}] ${e.exception.message}`;
    if (this.format === 'json')
      this.json('queryTerminated', {
        id: e.id,
        runId: e.runId,
        exception: e.exception === null ? null : { code: e.exception.code, message: e.exception.message },
      });
    else if (this.format === 'live') this.redraw();
  }

  private lineOf(t: QueryTotals): string {
    const who = t.name ?? t.id.slice(0, 8);
    const state = t.terminated ? (t.error === null ? ' (stopped)' : ' (failed)') : t.idle ? ' (idle)' : '';
    return t.last === null ? `${who}  waiting for the first batch${state}` : `${progressLine(t.last, t.lateRows, t.name ?? undefined)}${state}`;
  }

  /** Rewrites the live lines in place: back to the first line, clear and write each. */
  private redraw(): void {
    const width = this.out.columns;
    const lines = [...this.queries.values()].map((t) => {
      const line = this.lineOf(t);
      return width !== undefined && width > 1 && line.length >= width ? line.slice(0, width - 1) : line;
    });
    let text = this.drawn > 1 ? `\r\x1b[${this.drawn - 1}A` : '\r';
    text += lines.map((l) => `\x1b[2K${l}`).join('\n');
    this.out.write(text);
    this.drawn = lines.length;
  }

  /** Prints a one-off message: a JSON object `{event, ...body}` in JSON mode, else `text` on its own line. */
  note(event: string, body: object, text: string): void {
    if (this.format === 'json') this.json(event, body);
    else this.out.write(`${this.format === 'live' && this.drawn > 0 ? '\n' : ''}${text}\n`);
    if (this.format === 'live') this.drawn = 0;
  }

  /** The totals of every query seen, as plain data. */
  results(): object[] {
    return [...this.queries.values()].map((t) => ({
      id: t.id,
      name: t.name,
      batches: t.batches,
      inputRows: t.inputRows,
      processedRowsPerSecond: t.processingMs > 0 ? Math.round((t.inputRows * 1000) / t.processingMs) : 0,
      watermark: t.watermark,
      stateRows: t.stateRows,
      lateRows: t.lateRows,
      error: t.error,
    }));
  }

  /** Ends the live lines and prints the summary of the run (a `summary` JSON line in JSON mode). */
  summary(run: RunInfo): void {
    const queries = this.results() as ReturnType<QueryProgressReporter['results']>;
    if (this.format === 'json') {
      this.json('summary', { job: run.job, mode: run.mode, status: run.failed ? 'failed' : 'ok', durationMs: run.durationMs, queries });
      return;
    }
    if (this.format === 'live' && this.drawn > 0) this.out.write('\n');
    this.drawn = 0;
    const lines = [`sluice: job '${run.job}' (${run.mode}) ${run.failed ? 'failed' : 'finished'} in ${(run.durationMs / 1000).toFixed(1)} s`];
    for (const t of this.queries.values()) {
      lines.push(
        `  ${t.name ?? t.id}: ${t.batches} batch(es), ${t.inputRows} input rows, ${compact(t.processingMs > 0 ? (t.inputRows * 1000) / t.processingMs : 0)} rows/s processed, ` +
          `watermark ${t.watermark ?? '-'}, ${t.stateRows} state rows, ${t.lateRows} late rows${t.error === null ? '' : `; error ${t.error}`}`,
      );
    }
    this.out.write(`${lines.join('\n')}\n`);
  }
}

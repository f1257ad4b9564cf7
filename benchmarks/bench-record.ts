import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineRunReport } from './engine-run-report.js';
import type { PeerName } from './engines/engine-runner.js';

/**
 * One result line (`benchmarks/results/<date>.jsonl`): the fields the brief fixes first,
 * then context. `ratio` = peerSeconds / sluiceSeconds (above 1: Sluice is faster).
 */
export interface BenchRecord {
  readonly workload: string;
  readonly rows: number;
  readonly sluiceSeconds: number | null;
  readonly peer: PeerName;
  readonly peerSeconds: number | null;
  readonly ratio: number | null;
  readonly peakRssMb: number | null;
  readonly peerPeakRssMb: number | null;
  readonly workers: number;
  readonly runs: number;
  readonly warmup: number;
  /** True when both engines returned equal results; false on a mismatch or a failed run. */
  readonly resultsMatch: boolean;
  readonly outputRows: number;
  readonly sluiceRunsSeconds: readonly number[];
  readonly peerRunsSeconds: readonly number[];
  /** For the workers case: median with 1 worker / median with this many workers. */
  readonly sluiceSpeedup?: number;
  readonly peerSpeedup?: number;
  readonly commit: string | null;
  readonly timestamp: string;
  readonly error?: string;
}

/** Rounds for the JSON output (seconds to 0.1 ms, MiB to 0.1). */
function round(x: number, digits: number): number | null {
  if (!Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Builds the record of one Sluice-vs-peer measurement (the peer's name comes from its report). */
export function benchRecord(
  workload: string,
  rows: number,
  runs: number,
  warmup: number,
  sluice: EngineRunReport,
  peer: EngineRunReport,
  match: boolean,
  context: { readonly commit: string | null; readonly error?: string },
): BenchRecord {
  const firstLine = (r: EngineRunReport): string | undefined => (r.error === undefined ? undefined : `${r.engine}: ${r.error.split('\n')[0]}`);
  const error = context.error ?? [firstLine(sluice), firstLine(peer)].filter((e) => e !== undefined).join('; ');
  return {
    workload,
    rows,
    sluiceSeconds: round(sluice.medianSeconds, 4),
    peer: peer.engine === 'sluice' ? 'duckdb' : peer.engine,
    peerSeconds: round(peer.medianSeconds, 4),
    ratio: round(peer.medianSeconds / sluice.medianSeconds, 3),
    peakRssMb: round(sluice.peakRssMb, 1),
    peerPeakRssMb: round(peer.peakRssMb, 1),
    workers: sluice.workers,
    runs,
    warmup,
    resultsMatch: match,
    outputRows: sluice.error === undefined ? sluice.outputRows : peer.outputRows,
    sluiceRunsSeconds: sluice.times.map((t) => round(t, 4) ?? 0),
    peerRunsSeconds: peer.times.map((t) => round(t, 4) ?? 0),
    commit: context.commit,
    timestamp: new Date().toISOString(),
    ...(error === '' ? {} : { error }),
  };
}

/** Appends one record as a JSON line to `<dir>/<YYYY-MM-DD>.jsonl` (UTC date), creating the folder. */
export async function appendRecord(dir: string, record: BenchRecord): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${record.timestamp.slice(0, 10)}.jsonl`);
  await appendFile(file, `${JSON.stringify(record)}\n`);
  return file;
}

import type { CanonicalRow } from './canonical-rows.js';
import type { EngineName } from './engines/engine-runner.js';

/** What one engine child process reports back to the runner (as JSON in a file). */
export interface EngineRunReport {
  readonly engine: EngineName;
  readonly workload: string;
  readonly workers: number;
  /** Seconds of each timed run (after the warm-up runs). */
  readonly times: readonly number[];
  readonly medianSeconds: number;
  /** Peak resident set size of the whole process (all threads), in MiB, right after the timed runs. */
  readonly peakRssMb: number;
  readonly outputRows: number;
  /** The last run's result, canonical and sorted. */
  readonly rows: readonly CanonicalRow[];
  /** Set when the run failed; `times` and `rows` are then empty and `medianSeconds` / `peakRssMb` NaN (null in JSON). */
  readonly error?: string;
}

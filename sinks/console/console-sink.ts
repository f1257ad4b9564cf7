import type { ScanOptions } from '../../dataframe/plan/logical-plan.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import { showTable } from '../../dataframe/show-table.js';
import { integerOption } from '../../common/integer-option.js';
import { checkKnownOptions } from '../../common/known-options.js';
import { invalidArgument } from '../../common/errors.js';
import type { OutputMode, Sink } from '../sink.js';

const OWNER = 'console sink';
const RULE = '-'.repeat(43);

/** Where the console sink writes; receives one batch's whole text (no trailing newline). */
export type ConsoleOutput = (text: string) => void;

function truncateOption(options: ScanOptions): number {
  const raw = options.truncate;
  if (raw === undefined || raw === true || String(raw).toLowerCase() === 'true') return 20;
  if (raw === false || String(raw).toLowerCase() === 'false') return 0;
  const width = Number(raw);
  if (Number.isSafeInteger(width) && width >= 0) return width;
  throw invalidArgument(`Option 'truncate' of the ${OWNER} must be true, false or a cell width, got '${String(raw)}'.`);
}

/**
 * Prints each batch (Spark's console sink): a `Batch: N` banner and the batch's first
 * `numRows` rows (default 20) as `show()` draws them, cells cut to 20 characters unless
 * `truncate` is false (or a number: the width). Writes to an injectable output function
 * (default `console.log`). A repeated batch id is skipped by this instance; after a restart
 * a re-run batch prints again, so the console sink is at-least-once.
 */
export class ConsoleSink implements Sink {
  readonly description = 'ConsoleSink';
  /** Output modes this sink accepts. */
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'update', 'complete'];
  private readonly numRows: number;
  private readonly truncate: number;
  private lastBatchId = -1;

  /**
   * @param options - numRows (positive integer, default 20), truncate (boolean or width, default true)
   * @param output - receives each batch's text
   */
  constructor(
    options: ScanOptions = {},
    private readonly output: ConsoleOutput = (text) => console.log(text),
  ) {
    checkKnownOptions(options, ['numRows', 'truncate', 'checkpointLocation'], OWNER);
    this.numRows = integerOption(options, 'numRows', { min: 1, fallback: 20, owner: OWNER });
    this.truncate = truncateOption(options);
  }

  async addBatch(batchId: number, data: DataFrame, _mode: OutputMode): Promise<void> {
    if (batchId <= this.lastBatchId) return;
    const rows = await data.limit(this.numRows + 1).collectBatch();
    const table = showTable(rows, this.numRows, this.truncate, rows.numRows > this.numRows);
    this.output(`${RULE}\nBatch: ${batchId}\n${RULE}\n${table}\n`);
    this.lastBatchId = batchId;
  }

  async stop(): Promise<void> {}
}

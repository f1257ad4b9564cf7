import type { BatchProgressEvent, BatchProgressListener } from './batch-progress.js';

/** Where the bar is drawn: a terminal stream (stderr by default). */
export interface ConsoleStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Actions shorter than this never show the bar (Spark's console progress bar waits 500 ms; batch work here is often short). */
export const CONSOLE_PROGRESS_DELAY_MS = 2000;

function rate(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/**
 * The progress line of batch actions on a terminal (Spark's console progress bar):
 * `[action 3] 12/40 tasks  1.2M rows/s  4.1 s` on one line of stderr, rewritten in place,
 * shown only for actions running longer than {@link CONSOLE_PROGRESS_DELAY_MS} and erased
 * when the action ends. Draws nothing on a stream that is not a terminal.
 */
export class ConsoleProgressBar implements BatchProgressListener {
  private shown = false;

  constructor(
    private readonly out: ConsoleStream,
    private readonly delayMs = CONSOLE_PROGRESS_DELAY_MS,
  ) {}

  onProgress(e: BatchProgressEvent): void {
    if (this.out.isTTY !== true) return;
    if (e.done) {
      if (this.shown) this.out.write('\r\x1b[2K');
      this.shown = false;
      return;
    }
    if (e.elapsedMs < this.delayMs || e.tasksTotal === 0) return;
    const width = 20;
    const filled = Math.floor((width * e.tasksDone) / e.tasksTotal);
    const bar = `${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}`;
    this.out.write(
      `\r\x1b[2K[action ${e.actionId}] [${bar}] ${e.tasksDone}/${e.tasksTotal} tasks  ${rate(e.rowsPerSecond)} rows/s  ${(e.elapsedMs / 1000).toFixed(1)} s`,
    );
    this.shown = true;
  }
}

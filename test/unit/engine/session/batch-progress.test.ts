import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDataset } from '../../../../benchmarks/data/write-dataset.js';
import type { BatchProgressEvent } from '../../../../index.js';
import { ConsoleProgressBar, Sluice, col, count } from '../../../../index.js';

const ROWS = 20_000;
let dir: string;
let sluice: Sluice;
const events: BatchProgressEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-batch-progress-'));
  await ensureDataset({ out: join(dir, 'tx'), rows: ROWS, files: 4, cards: 100, merchants: 50, rowGroupRows: 2048 });
  sluice = await Sluice.builder()
    .workers(2)
    .config('sluice.ui.showConsoleProgress', false)
    .progressListener({ onProgress: (e) => events.push(e) })
    .getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

const tx = () => sluice.read.parquet(join(dir, 'tx'));

/** A stream that says it is a terminal and keeps what is written. */
function fakeTerminal(): { isTTY: boolean; text: string; write(t: string): void } {
  return {
    isTTY: true,
    text: '',
    write(t: string) {
      this.text += t;
    },
  };
}

describe('progress of batch actions', () => {
  it('a listener on the builder sees tasks done of planned and the rows the tasks read, ending with a done event', async () => {
    events.length = 0;
    const rows = await (await tx()).groupBy(col('country')).agg(count().alias('n')).toArray();
    expect(rows.reduce((s, r) => s + Number(r.n), 0)).toBe(ROWS);
    const last = events.at(-1) as BatchProgressEvent;
    expect(last.done).toBe(true);
    expect(events.filter((e) => e.done)).toHaveLength(1);
    expect(last.tasksTotal).toBeGreaterThan(1);
    expect(last.tasksDone).toBe(last.tasksTotal);
    expect(last.rowsRead).toBe(ROWS);
    expect(new Set(events.map((e) => e.actionId)).size).toBe(1);
    for (let i = 1; i < events.length; i++) {
      expect((events[i] as BatchProgressEvent).tasksDone).toBeGreaterThanOrEqual((events[i - 1] as BatchProgressEvent).tasksDone);
      expect((events[i] as BatchProgressEvent).rowsRead).toBeGreaterThanOrEqual((events[i - 1] as BatchProgressEvent).rowsRead);
    }
  });

  it('each action gets its own id; a removed listener hears nothing more', async () => {
    events.length = 0;
    const extra: BatchProgressEvent[] = [];
    const listener = { onProgress: (e: BatchProgressEvent) => extra.push(e) };
    sluice.addProgressListener(listener);
    expect(await (await tx()).filter(col('amount').gt(100)).count()).toBeGreaterThan(0);
    await (await tx()).count();
    sluice.removeProgressListener(listener);
    await (await tx()).count();
    const ids = [...new Set(events.map((e) => e.actionId))];
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe((ids[0] as number) + 1);
    expect(new Set(extra.map((e) => e.actionId))).toEqual(new Set(ids.slice(0, 2)));
  });

  it('the console bar draws tasks and rows/s on a terminal after its delay, erases itself at the end, and stays silent elsewhere', async () => {
    const tty = fakeTerminal();
    const pipe = { ...fakeTerminal(), isTTY: false };
    const late = fakeTerminal();
    const bars = [new ConsoleProgressBar(tty, 0), new ConsoleProgressBar(pipe, 0), new ConsoleProgressBar(late, 60_000)];
    for (const b of bars) sluice.addProgressListener(b);
    await (await tx()).groupBy(col('card_id')).agg(count().alias('n')).collect();
    for (const b of bars) sluice.removeProgressListener(b);
    const last = events.at(-1) as BatchProgressEvent;
    expect(tty.text).toMatch(
      new RegExp(`\\r\\x1b\\[2K\\[action ${last.actionId}\\] \\[[=> ]{20}\\] \\d+/${last.tasksTotal} tasks {2}[\\d.]+[kM]? rows/s {2}[\\d.]+ s`),
    );
    expect(tty.text.endsWith('\r\x1b[2K')).toBe(true);
    expect(pipe.text).toBe('');
    expect(late.text).toBe('');
  });
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import type { CdpPage } from '../../helpers/headless-chromium.js';
import { HeadlessChromium } from '../../helpers/headless-chromium.js';
import { PageViewStream } from '../../helpers/page-view-stream.js';

// The dashboard page in a real browser: headless Chromium (Debian's chromium package, installed
// by scripts/install-chromium.sh from scripts/test.sh) loads it from the session's server,
// and the DOM shows the running query and charts that grow as batches run.

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
let sluice: Sluice;
let browser: HeadlessChromium;
const views = { stream: null as PageViewStream | null };

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  sluice = await Sluice.builder().workers(1).appName('dashboard-e2e').config('sluice.sql.shuffle.partitions', 2).ui(0).getOrCreate();
  browser = await HeadlessChromium.launch();
});

afterAll(async () => {
  await views.stream?.stop();
  await browser?.close();
  await sluice?.stop();
});

interface ChartState {
  points: number;
  lastBatch: number;
  series: number;
}

function chart(page: CdpPage, id: string): Promise<ChartState> {
  return page.evaluate<ChartState>(
    `(() => { const f = document.getElementById(${JSON.stringify(id)}); return { points: Number(f.dataset.points), lastBatch: Number(f.dataset.lastBatch), series: Number(f.dataset.series) }; })()`,
  );
}

describe('dashboard page in headless Chromium', () => {
  it('shows the running query, charts that update as batches run, and a failed query with its error', async () => {
    // A query that fails in its first batch: listed as completed, with its error.
    const bad = new MemoryStream(schemaOf([field('x', types.int64)]), 'numbers');
    bad.addData([{ x: 1n }]);
    const broken = await sluice.readStream
      .fromSource(bad)
      .writeStream.queryName('broken_sink')
      .foreachBatch(() => {
        throw new Error('sink exploded on purpose');
      })
      .start();
    await expect(broken.awaitTermination()).rejects.toThrow(/sink exploded on purpose/);

    views.stream = new PageViewStream(sluice);
    const query = await views.stream.start('page_views');
    const url = sluice.ui?.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await browser.open(url);

    // The running query is listed and selected.
    await page.waitFor(
      `document.querySelector('#active-queries tr[data-run-id="${query.runId}"]')?.dataset.batches > 0`,
      'the running query in the active list',
    );
    const row = await page.evaluate<string[]>(
      `[...document.querySelector('#active-queries tr[data-run-id="${query.runId}"]').cells].map((c) => c.textContent)`,
    );
    expect(row[0]).toBe('page_views');
    expect(['active', 'idle']).toContain(row[1]);
    expect(await page.evaluate<string>(`document.getElementById('detail').dataset.runId`)).toBe(query.runId);
    expect(await page.evaluate<string>(`document.getElementById('detail-name').textContent`)).toBe('page_views');
    expect(await page.evaluate<string>(`document.getElementById('app-name').textContent`)).toBe('dashboard-e2e');
    expect(await page.evaluate<string>(`document.body.dataset.connection`)).toBe('live');

    // Charts update as batches run: the number of points and the last batch id grow between two observations.
    await page.waitFor(`Number(document.getElementById('chart-rates').dataset.points) >= 2`, 'two points on the rate chart');
    const first = await chart(page, 'chart-rates');
    await page.waitFor(
      `Number(document.getElementById('chart-rates').dataset.lastBatch) >= ${first.lastBatch + 3}`,
      `three more batches on the rate chart after batch ${first.lastBatch}`,
    );
    const second = await chart(page, 'chart-rates');
    expect(second.points).toBeGreaterThan(first.points);
    expect(second.lastBatch).toBeGreaterThan(first.lastBatch);
    expect(second.series).toBe(2);
    expect(second.lastBatch).toBeLessThanOrEqual(query.lastProgress?.batchId ?? -1);
    // Every chart draws the same batches; the line chart has its two lines, the phase chart its bars.
    for (const id of ['chart-durations', 'chart-watermark', 'chart-state-rows', 'chart-state-memory', 'chart-late']) {
      const c = await chart(page, id);
      expect(c.points, id).toBeGreaterThanOrEqual(second.points);
      expect(c.series, id).toBeGreaterThan(0);
    }
    expect(await page.evaluate<number>(`document.querySelectorAll('#chart-rates path.series').length`)).toBe(2);
    expect(await page.evaluate<number>(`document.querySelectorAll('#chart-durations rect[fill]:not([fill="transparent"])').length`)).toBeGreaterThan(0);
    expect(await page.evaluate<string>(`document.querySelector('#chart-state-rows .legend').textContent`)).toMatch(/#0 /);

    // Late rows: once the engine reports dropped rows, the late-rows chart has bars.
    await page.waitFor(
      `(async () => { const r = await fetch('/api/queries/${query.runId}'); const q = await r.json();
         return q.progress.some((p) => p.stateOperators.some((o) => o.numRowsDroppedByWatermark > 0)); })()`,
      'late rows dropped by the watermark',
    );
    await page.waitFor(`document.querySelectorAll('#chart-late rect[fill]:not([fill="transparent"])').length > 0`, 'bars on the late-rows chart');

    // The plan and the stats of the running query.
    expect(await page.evaluate<string>(`document.getElementById('detail-plan').textContent`)).toBe(query.explain());
    expect(await page.evaluate<boolean>(`document.getElementById('detail-error').hidden`)).toBe(true);
    const stats = await page.evaluate<string>(`document.getElementById('detail-stats').textContent`);
    expect(stats).toContain(query.id);
    expect(stats).toContain('Watermark');
    await page.screenshot(join(ARTIFACTS, 'dashboard.png'));

    // The failed query is in the completed list; selecting it shows its error.
    const failedRow = await page.evaluate<string[]>(
      `[...document.querySelector('#finished-queries tr[data-run-id="${broken.runId}"]').cells].map((c) => c.textContent)`,
    );
    expect(failedRow[0]).toBe('broken_sink');
    expect(failedRow[1]).toBe('failed');
    expect(failedRow[9]).toContain('sink exploded on purpose');
    await page.evaluate(`document.querySelector('#finished-queries tr[data-run-id="${broken.runId}"]').click()`);
    await page.waitFor(`document.getElementById('detail').dataset.runId === ${JSON.stringify(broken.runId)}`, 'the failed query selected');
    await page.waitFor(`!document.getElementById('detail-error').hidden`, 'the error box');
    const error = await page.evaluate<string>(`document.getElementById('detail-error-text').textContent`);
    expect(error).toContain('[QUERY_FAILED]');
    expect(error).toContain('sink exploded on purpose');
    await page.screenshot(join(ARTIFACTS, 'dashboard-failed-query.png'));
  });
});

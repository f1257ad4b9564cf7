import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { StreamingQueryProgress } from '../../../dataframe/query-progress.js';
import { Sluice } from '../../../engine/session/sluice.js';
import type { DashboardQueryDetail, DashboardQuerySummary } from '../../../engine/ui/dashboard-state.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';
import { PageViewStream } from '../../helpers/page-view-stream.js';
import { SseClient } from '../../helpers/sse-client.js';

// The dashboard's JSON endpoints and event stream, read from Node while real queries run.

let sluice: Sluice;
let base: string;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).appName('dashboard-api').config('sluice.sql.shuffle.partitions', 2).ui(0, { historySize: 4 }).getOrCreate();
  base = sluice.ui?.url as string;
});

afterAll(async () => {
  await sluice?.stop();
});

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, base));
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return { status: res.status, body: (await res.json()) as T };
}

async function waitForDetail(runId: string, ok: (q: DashboardQueryDetail) => boolean, what: string): Promise<DashboardQueryDetail> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body } = await getJson<DashboardQueryDetail>(`/api/queries/${runId}`);
    if (ok(body)) return body;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A raw request, to set the Host header and the method. */
function raw(method: string, path: string, host?: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers: host === undefined ? {} : { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function failingQuery(s: Sluice, name: string) {
  const input = new MemoryStream(schemaOf([field('x', types.int64)]), 'numbers');
  input.addData([{ x: 1n }]);
  return s.readStream
    .fromSource(input)
    .writeStream.queryName(name)
    .foreachBatch(() => {
      throw new Error('sink exploded on purpose');
    })
    .start();
}

describe('dashboard JSON endpoints', () => {
  it('list every run and serve one run with a bounded progress history, its plan and its last error', async () => {
    const views = new PageViewStream(sluice);
    const query = await views.start('api_views', 100, 100);
    try {
      const list = await getJson<{ app: string; historySize: number; queries: DashboardQuerySummary[] }>('/api/queries');
      expect(list.status).toBe(200);
      expect(list.body.app).toBe('dashboard-api');
      expect(list.body.historySize).toBe(4);
      const listed = list.body.queries.find((q) => q.runId === query.runId);
      expect(listed).toMatchObject({ id: query.id, name: 'api_views', status: 'active', endedAt: null, lastError: null });

      const detail = await waitForDetail(query.runId, (q) => q.numBatches >= 6, 'six batches');
      // History holds the newest 4 batches, consecutive, ending at the newest one.
      const ids = detail.progress.map((p: StreamingQueryProgress) => p.batchId);
      expect(ids).toHaveLength(4);
      expect(ids).toEqual([ids[0], (ids[0] as number) + 1, (ids[0] as number) + 2, (ids[0] as number) + 3]);
      expect(ids[3]).toBe(detail.lastProgress?.batchId);
      expect(detail.numBatches).toBeGreaterThanOrEqual(ids[3] as number);
      expect(ids[0]).toBeGreaterThan(0);
      expect(detail.plan).toBe(query.explain());
      expect(detail.plan).toContain('EventTimeWatermark');
      const last = detail.progress[3] as StreamingQueryProgress;
      expect(last.id).toBe(query.id);
      expect(last.stateOperators).toHaveLength(1);
      expect(last.stateOperators[0]?.numRowsTotal).toBeGreaterThan(0);
      expect(Date.parse(last.eventTime.watermark as string)).toBeGreaterThan(0);
      expect(last.sources[0]?.description).toBe('page views');

      // The query id finds its newest run too; unknown ids are 404.
      expect((await getJson<DashboardQueryDetail>(`/api/queries/${query.id}`)).body.runId).toBe(query.runId);
      const missing = await getJson<{ error: string }>('/api/queries/no-such-run');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatch(/No query run/);
    } finally {
      await views.stop();
    }
    const stopped = await waitForDetail(query.runId, (q) => q.status !== 'active', 'the stopped status');
    expect(stopped.status).toBe('stopped');
    expect(stopped.endedAt).not.toBeNull();
    expect(stopped.lastError).toBeNull();

    const broken = await failingQuery(sluice, 'api_broken');
    await expect(broken.awaitTermination()).rejects.toThrow(/sink exploded/);
    const failed = await waitForDetail(broken.runId, (q) => q.status !== 'active', 'the failed status');
    expect(failed.status).toBe('failed');
    expect(failed.numBatches).toBe(0);
    expect(failed.lastError?.code).toBe('QUERY_FAILED');
    expect(failed.lastError?.message).toContain('sink exploded on purpose');
  });

  it('pushes a snapshot, then query and progress events, over Server-Sent Events', async () => {
    const sse = await SseClient.connect(new URL('/api/events', base).href);
    try {
      expect(sse.response?.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      const snapshot = await sse.waitFor((e) => e.event === 'snapshot', 'the snapshot');
      expect(sse.events[0]).toBe(snapshot);
      expect(snapshot.data).toMatchObject({ app: 'dashboard-api', historySize: 4 });
      const views = new PageViewStream(sluice);
      const query = await views.start('sse_views', 100, 100);
      try {
        const started = await sse.waitFor((e) => e.event === 'query' && (e.data as DashboardQuerySummary).runId === query.runId, 'the started event');
        expect(started.data).toMatchObject({ name: 'sse_views', status: 'active', numBatches: 0 });
        const progressOf = (e: { event: string; data: unknown }) => e.data as { runId: string; progress: StreamingQueryProgress };
        const ours = (e: { event: string; data: unknown }) => e.event === 'progress' && progressOf(e).runId === query.runId;
        await sse.waitFor((e) => ours(e) && progressOf(e).progress.batchId >= 2, 'progress of batch 2');
        const batches = sse.events.filter(ours).map((e) => progressOf(e).progress.batchId);
        // Every batch arrives once, in order, from batch 0.
        expect(batches.slice(0, 3)).toEqual([0, 1, 2]);
        expect(progressOf(sse.events.find(ours) as { event: string; data: unknown }).progress.numInputRows).toBeGreaterThan(0);
      } finally {
        await views.stop();
      }
      const ended = await sse.waitFor(
        (e) => e.event === 'query' && (e.data as DashboardQuerySummary).runId === query.runId && (e.data as DashboardQuerySummary).status !== 'active',
        'the terminated event',
      );
      expect((ended.data as DashboardQuerySummary).status).toBe('stopped');
    } finally {
      sse.close();
    }
  });

  it('serves the page and its assets, and refuses other host names and methods', async () => {
    const page = await raw('GET', '/');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script type="module" src="/assets/dashboard.js"></script>');
    for (const [name, type] of [
      ['dashboard.js', 'text/javascript; charset=utf-8'],
      ['charts.js', 'text/javascript; charset=utf-8'],
      ['format.js', 'text/javascript; charset=utf-8'],
      ['dashboard.css', 'text/css; charset=utf-8'],
    ]) {
      const a = await raw('GET', `/assets/${name}`);
      expect(a.status, name).toBe(200);
      expect(a.type, name).toBe(type);
      expect(a.body.length, name).toBeGreaterThan(500);
    }
    expect((await raw('GET', '/assets/..%2Fdashboard-server.js')).status).toBe(404);
    expect((await raw('GET', '/nothing-here')).status).toBe(404);
    expect((await raw('POST', '/api/queries')).status).toBe(405);
    // A page on another origin that rebinds its DNS name to 127.0.0.1 sends its own Host: refused.
    expect((await raw('GET', '/api/queries', 'attacker.example:80')).status).toBe(403);
    expect((await raw('GET', '/api/queries', `localhost:${sluice.ui?.port}`)).status).toBe(200);
  });
});

describe('dashboard server lifecycle', () => {
  it('stops with the session: streams end and the port is closed', async () => {
    const s = await Sluice.builder().workers(1).ui(0).getOrCreate();
    const url = s.ui?.url as string;
    expect(s.ui?.port).toBeGreaterThan(0);
    const sse = await SseClient.connect(new URL('/api/events', url).href);
    await sse.waitFor((e) => e.event === 'snapshot', 'the snapshot');
    await s.stop();
    await sse.waitForEnd();
    await expect(fetch(new URL('/api/queries', url))).rejects.toThrow();
  });

  it('refuses bad ports up front and names a port in use', async () => {
    expect(() => Sluice.builder().ui(-1)).toThrow(SluiceError);
    expect(() => Sluice.builder().ui(70000)).toThrow(/0 to 65535/);
    expect(() => Sluice.builder().ui(1.5)).toThrow(/0 to 65535/);
    expect(() => Sluice.builder().ui(0, { historySize: 0 })).toThrow(/historySize/);
    const taken = sluice.ui?.port as number;
    const err = await Sluice.builder()
      .workers(1)
      .ui(taken)
      .getOrCreate()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(SluiceError);
    expect((err as SluiceError).code).toBe('IO_ERROR');
    expect((err as SluiceError).message).toContain(`Port ${taken} is in use`);
  });
});

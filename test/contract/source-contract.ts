import { describe, expect, it } from 'vitest';
import type { JsValue } from '../../common/vector-from-values.js';
import type { Offset, ReadLimit, Source } from '../../sources/source.js';
import { planRows } from './local-query-executor.js';

/** How the contract suite drives one kind of source. */
export interface SourceHarness {
  /**
   * A source over the harness's data and metadata path. Each call is a "restart": a new
   * instance where the source keeps metadata on disk, the same one for in-memory sources.
   */
  create(): Promise<Source>;
  /** Makes more input available (adds rows, writes files, advances the clock). */
  addData(): Promise<void>;
  /** True for sources that always offer another batch (rate-micro-batch). */
  readonly endless?: boolean;
  /** A read limit the source honours, and the most rows one batch may hold under it. */
  readonly limit?: { readonly limit: ReadLimit; readonly maxRows: number };
  /** Releases files. */
  cleanup(): Promise<void>;
}

const roundTrip = (o: Offset): Offset => JSON.parse(JSON.stringify(o)) as Offset;

async function rowsOf(source: Source, start: Offset | null, end: Offset): Promise<JsValue[][]> {
  const plan = await source.getBatch(start, end);
  expect(plan.schema.fields.map((f) => [f.name, f.type])).toEqual(source.schema.fields.map((f) => [f.name, f.type]));
  return planRows(plan);
}

/**
 * The suite every Source passes: offsets survive a JSON round trip; the same range gives
 * the same rows every time, also from a freshly created source on the same metadata;
 * latestOffset returns start when nothing is new; adjacent ranges add up to their union;
 * read limits are respected.
 */
export function sourceContract(name: string, harness: () => Promise<SourceHarness>): void {
  describe(`Source contract: ${name}`, () => {
    it('offers nothing before data arrives, then a replayable range', async () => {
      const h = await harness();
      try {
        const source = await h.create();
        const initial = await source.initialOffset();
        expect(roundTrip(initial)).toEqual(initial);
        if (!h.endless) expect(await source.latestOffset(initial, {})).toEqual(initial);
        await h.addData();
        const end = await source.latestOffset(initial, {});
        expect(end).not.toEqual(initial);
        expect(roundTrip(end)).toEqual(end);
        const first = await rowsOf(source, initial, end);
        expect(first.length).toBeGreaterThan(0);
        expect(await rowsOf(source, initial, end)).toEqual(first);
        expect(await rowsOf(source, null, end)).toEqual(first);
        if (!h.endless) expect(await source.latestOffset(end, {})).toEqual(end);
        await source.stop();
        const restarted = await h.create();
        expect(await rowsOf(restarted, roundTrip(initial), roundTrip(end))).toEqual(first);
        if (!h.endless) expect(await restarted.latestOffset(roundTrip(end), {})).toEqual(end);
        await restarted.stop();
      } finally {
        await h.cleanup();
      }
    });

    it('splits the input into adjacent ranges whose union is the whole', async () => {
      const h = await harness();
      try {
        const source = await h.create();
        const a = await source.initialOffset();
        await h.addData();
        const b = await source.latestOffset(a, {});
        await h.addData();
        const c = await source.latestOffset(b, {});
        expect(c).not.toEqual(b);
        const ab = await rowsOf(source, a, b);
        const bc = await rowsOf(source, b, c);
        expect(bc.length).toBeGreaterThan(0);
        expect(await rowsOf(source, a, c)).toEqual([...ab, ...bc]);
        await source.commit(b);
        expect(await rowsOf(source, b, c)).toEqual(bc);
        const restarted = await h.create();
        expect(await rowsOf(restarted, b, c)).toEqual(bc);
        await source.stop();
      } finally {
        await h.cleanup();
      }
    });

    it('respects its read limit and still makes progress', async () => {
      const h = await harness();
      const limit = h.limit;
      try {
        const source = await h.create();
        let at = await source.initialOffset();
        await h.addData();
        await h.addData();
        const all: JsValue[][] = [];
        for (let i = 0; i < 20; i++) {
          const next = await source.latestOffset(at, limit?.limit ?? {});
          if (next === at || JSON.stringify(next) === JSON.stringify(at)) break;
          const rows = await rowsOf(source, at, next);
          if (limit) expect(rows.length).toBeLessThanOrEqual(limit.maxRows);
          expect(rows.length).toBeGreaterThan(0);
          all.push(...rows);
          at = next;
          if (h.endless && i >= 2) break;
        }
        expect(all.length).toBeGreaterThan(0);
        if (limit && !h.endless) expect(all).toEqual(await rowsOf(source, await source.initialOffset(), at));
        await source.stop();
      } finally {
        await h.cleanup();
      }
    });
  });
}

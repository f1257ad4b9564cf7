import { describe, expect, it } from 'vitest';
import { types } from '../../common/data-type.js';
import type { Schema } from '../../common/schema.js';
import { field, schemaOf } from '../../common/schema.js';
import type { JsValue } from '../../common/vector-from-values.js';
import type { Sink } from '../../sinks/sink.js';
import { localFrame } from './local-query-executor.js';

/** The schema of the batches the sink contract writes. */
export const SINK_SCHEMA: Schema = schemaOf([field('id', types.int64, false), field('name', types.utf8, true), field('score', types.float64, true)]);

/** How the contract suite drives one kind of sink. */
export interface SinkHarness {
  /** A sink on the harness's storage; a second call is a restart (new instance, same storage). */
  create(): Sink;
  /** Everything the sink has output so far, as rows in the sink's own representation. */
  written(): Promise<unknown[]>;
  /** The representation `written()` has for these rows, in output order. */
  expected(rows: readonly (readonly JsValue[])[]): unknown[];
  /** True when a restarted sink still skips batch ids committed before (exactly-once sinks). */
  readonly dedupesAcrossRestart: boolean;
  /** True when `written()` order is not defined across batches (compare sorted). */
  readonly unordered?: boolean;
  cleanup(): Promise<void>;
}

const A: JsValue[][] = [
  [1n, 'ann', 1.5],
  [2n, null, null],
];
const B: JsValue[][] = [[9n, 'bad', 9.0]];
const C: JsValue[][] = [
  [3n, 'cid', -2.25],
  [4n, '', 0],
];

function sorted(rows: unknown[]): unknown[] {
  return [...rows].sort((x, y) =>
    JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) < JSON.stringify(y, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) ? -1 : 1,
  );
}

/**
 * The suite every Sink passes, in append mode: batches are written; a repeated batch id is
 * a no-op (its different data is not written); empty batches write nothing; exactly-once
 * sinks also skip a committed batch id after a restart.
 */
export function sinkContract(name: string, harness: () => Promise<SinkHarness>): void {
  describe(`Sink contract: ${name}`, () => {
    const check = async (h: SinkHarness, rows: JsValue[][]): Promise<void> => {
      const got = await h.written();
      const want = h.expected(rows);
      expect(h.unordered ? sorted(got) : got).toEqual(h.unordered ? sorted(want) : want);
    };

    it('writes batches and ignores a repeated batch id', async () => {
      const h = await harness();
      try {
        const sink = h.create();
        await check(h, []);
        await sink.addBatch(0, localFrame(SINK_SCHEMA, A), 'append');
        await check(h, A);
        await sink.addBatch(0, localFrame(SINK_SCHEMA, B), 'append');
        await check(h, A);
        await sink.addBatch(1, localFrame(SINK_SCHEMA, []), 'append');
        await check(h, A);
        await sink.addBatch(2, localFrame(SINK_SCHEMA, C), 'append');
        await check(h, [...A, ...C]);
        await sink.addBatch(2, localFrame(SINK_SCHEMA, B), 'append');
        await check(h, [...A, ...C]);
        await sink.stop();
      } finally {
        await h.cleanup();
      }
    });

    it('after a restart, skips committed batches if exactly-once, else writes again', async () => {
      const h = await harness();
      try {
        await h.create().addBatch(0, localFrame(SINK_SCHEMA, A), 'append');
        const restarted = h.create();
        await restarted.addBatch(0, localFrame(SINK_SCHEMA, A), 'append');
        await check(h, h.dedupesAcrossRestart ? A : [...A, ...A]);
        await restarted.addBatch(1, localFrame(SINK_SCHEMA, C), 'append');
        await check(h, h.dedupesAcrossRestart ? [...A, ...C] : [...A, ...A, ...C]);
      } finally {
        await h.cleanup();
      }
    });
  });
}

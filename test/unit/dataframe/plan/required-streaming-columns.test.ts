import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { col, sum } from '../../../../dataframe/expr/functions.js';
import type { LogicalPlan } from '../../../../dataframe/plan/logical-plan.js';
import { requiredStreamingColumns } from '../../../../dataframe/plan/optimizer/prune-columns.js';
import { Sluice } from '../../../../engine/session/sluice.js';
import { MemoryStream } from '../../../../sources/memory/memory-stream.js';

let sluice: Sluice;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
});

afterAll(async () => {
  await sluice?.stop();
});

/** The required columns of the plan's only streaming relation, sorted (null = all). */
function required(plan: LogicalPlan): string[] | null {
  const m = requiredStreamingColumns(plan);
  expect(m.size).toBe(1);
  const names = [...m.values()][0];
  return names === null || names === undefined ? null : [...names].sort();
}

describe('requiredStreamingColumns', () => {
  it('collects what projections, filters, aggregates and watermarks read from a streaming relation', () => {
    const stream = new MemoryStream(
      schemaOf([field('t', types.timestamp('ms', null)), field('k', types.utf8), field('v', types.float64), field('w', types.float64)]),
    );
    const df = sluice.readStream.fromSource(stream);
    expect(required(df.plan)).toBeNull(); // the whole row goes to the sink
    expect(required(df.select(col('v')).plan)).toEqual(['v']);
    expect(required(df.where(col('w').gt(1)).select(col('k')).plan)).toEqual(['k', 'w']);
    expect(
      required(
        df
          .withWatermark('t', '1 minute')
          .groupBy('k')
          .agg(sum(col('v'))).plan,
      ),
    ).toEqual(['k', 't', 'v']);
    // A source read on both sides of a union: what either side reads.
    expect(required(df.select(col('v')).union(df.select(col('w'))).plan)).toEqual(['v', 'w']);
  });
});

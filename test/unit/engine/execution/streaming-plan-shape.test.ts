import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import { field, schemaOf } from '../../../../common/schema.js';
import { buildAggregate } from '../../../../dataframe/plan/builders/build-aggregate.js';
import { buildLocalRelation } from '../../../../dataframe/plan/builders/build-misc.js';
import { buildProject } from '../../../../dataframe/plan/builders/build-project.js';
import { buildSort } from '../../../../dataframe/plan/builders/build-sort.js';
import type { Expr } from '../../../../dataframe/expr/expr.js';
import type { StreamingRelation } from '../../../../dataframe/plan/logical-plan.js';
import { bindStreamingLeaves, replaceNode } from '../../../../engine/execution/incremental-plan.js';
import { analyzeStreamingPlan } from '../../../../engine/execution/streaming-plan-shape.js';

const schema = schemaOf([field('k', types.utf8), field('v', types.int64)]);
const leaf = (id: string): StreamingRelation => Object.freeze({ kind: 'streamingRelation', sourceId: id, description: `S${id}`, schema });
const col = (name: string): Expr => ({ kind: 'col', name, qualifier: null });
const countAll: Expr = { kind: 'alias', name: 'n', child: { kind: 'agg', fn: 'count', args: [] } } as Expr;

describe('analyzeStreamingPlan', () => {
  it('finds the sources in plan order and the aggregate', () => {
    const s = leaf('1');
    const agg = buildAggregate(s, [col('k')], [countAll]);
    const shape = analyzeStreamingPlan(buildProject(agg, [col('n')]), 'update');
    expect(shape.sources.map((x) => x.sourceId)).toEqual(['1']);
    expect(shape.aggregate).toBe(agg);
    expect(shape.stateful).toEqual([agg]);
    expect(analyzeStreamingPlan(s, 'append')).toEqual({ sources: [s], stateful: [], watermarks: [], aggregate: null });
  });

  it('refuses sort without an aggregation and a second aggregation', () => {
    const s = leaf('1');
    expect(() => analyzeStreamingPlan(buildSort(s, [{ kind: 'sort', child: col('k'), ascending: true, nullsFirst: true }]), 'append')).toThrow(
      /Sorting on a streaming DataFrame/,
    );
    const twice = buildAggregate(buildAggregate(s, [col('k')], [countAll]), [], [countAll]);
    expect(() => analyzeStreamingPlan(twice, 'complete')).toThrow(/2 stateful operators .*only supported in append output mode/);
    expect(() => analyzeStreamingPlan(buildLocalRelation(schema, []), 'append')).toThrow(/needs a streaming DataFrame/);
  });
});

describe('incremental plans', () => {
  it('binds streaming leaves to batch plans and replaces a node', () => {
    const s = leaf('1');
    const p = buildProject(s, [col('v')]);
    const local = buildLocalRelation(schema, []);
    const bound = bindStreamingLeaves(p, new Map([['1', local]]));
    expect(bound.kind === 'project' && bound.child).toBe(local);
    expect(replaceNode(p, s, local)).toEqual(bound);
    expect(bindStreamingLeaves(p, new Map())).toBe(p);
  });
});

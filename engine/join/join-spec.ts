import type { Schema } from '../../common/schema.js';
import { schemaOf } from '../../common/schema.js';
import type { Expr } from '../../dataframe/expr/expr.js';
import type { JoinType } from '../../dataframe/plan/logical-plan.js';

/** Which input of a join is materialised (the build side); the other one streams (the probe side). */
export type JoinSide = 'left' | 'right';

/**
 * Everything about a join except its inputs' data: what the hash and nested-loop joins,
 * and a planner that runs the probe over several partitions, share. Plain data.
 */
export interface JoinSpec {
  readonly joinType: JoinType;
  readonly buildSide: JoinSide;
  readonly leftSchema: Schema;
  readonly rightSchema: Schema;
  /** The join's output schema (see the Join node in logical-plan.ts). */
  readonly outputSchema: Schema;
  /** Extra condition over the combined row (left columns then right columns), or null. */
  readonly condition: Expr | null;
  /** Key names that appear once in the output (a join on column names), or null. */
  readonly using: readonly string[] | null;
}

/** What a join owes for each side's rows, derived from the join type and the build side. */
export interface JoinRoles {
  /** Matching pairs are output (inner, outer and cross joins). */
  readonly emitsPairs: boolean;
  /** Probe rows without a match are output null-extended (outer join preserving the probe side). */
  readonly probeUnmatched: boolean;
  /** Build rows without a match are output null-extended, once, at the end. */
  readonly buildUnmatched: boolean;
  /** Semi/anti join whose left side is the probe side: decided per probe row. */
  readonly semiAntiProbe: boolean;
  /** Semi/anti join whose left side is the build side: decided at the end from the matched bitmap. */
  readonly semiAntiBuild: boolean;
  /** True for anti joins (rows *without* a match are output). */
  readonly anti: boolean;
}

/** The {@link JoinRoles} of a spec. */
export function joinRoles(spec: JoinSpec): JoinRoles {
  const t = spec.joinType;
  const preservesLeft = t === 'left' || t === 'full';
  const preservesRight = t === 'right' || t === 'full';
  const semiAnti = t === 'semi' || t === 'anti';
  const buildLeft = spec.buildSide === 'left';
  return {
    emitsPairs: !semiAnti,
    probeUnmatched: buildLeft ? preservesRight : preservesLeft,
    buildUnmatched: buildLeft ? preservesLeft : preservesRight,
    semiAntiProbe: semiAnti && !buildLeft,
    semiAntiBuild: semiAnti && buildLeft,
    anti: t === 'anti',
  };
}

/** Schema the extra condition is evaluated against: left fields then right fields. */
export function combinedSchema(spec: JoinSpec): Schema {
  return schemaOf([...spec.leftSchema.fields, ...spec.rightSchema.fields]);
}

import type { DataType } from '../../../common/data-type.js';
import { typeName } from '../../../common/data-type.js';
import { SluiceError } from '../../../common/errors.js';
import type { Schema } from '../../../common/schema.js';
import { analyzeExpr, collectAggCalls } from '../../../dataframe/expr/analyze-expr.js';
import type { AggCall } from '../../../dataframe/expr/expr.js';
import { exprToString } from '../../../dataframe/expr/expr-to-string.js';
import type { Aggregate, LogicalPlan } from '../../../dataframe/plan/logical-plan.js';
import { aggregateValueType, bindAggregate } from '../../aggregate/bind-aggregate.js';
import { flatTypes } from './stream-join-flatten.js';

/**
 * Start-time checks that a stateful operator's state fits the state store, which holds plain
 * columns and lists of them (numbers, strings, booleans, dates, timestamps; structs where an
 * operator flattens them into their fields). Without them the first batch would fail deep inside the
 * store; here the query is refused at `start()` with the function or column to change.
 */

function plain(t: DataType): boolean {
  return t.kind !== 'list' && t.kind !== 'map' && t.kind !== 'struct';
}

/** True for plain types and lists of them (stored as blobs: distinct values, sketches, collected values). */
function storable(t: DataType): boolean {
  return plain(t) || (t.kind === 'list' && storable(t.element));
}

/** True when `t` fits once structs are flattened into their fields (as joins and group keys store them). */
function flattenable(t: DataType): boolean {
  return flatTypes(t).every(plain);
}

function unsupported(message: string): SluiceError {
  return new SluiceError('UNSUPPORTED', message);
}

/** The call as written: options of first/last (ignoreNulls) left out. */
function callText(call: AggCall): string {
  const args = call.fn === 'first' || call.fn === 'last' ? call.args.slice(0, 1) : call.args;
  return `${call.fn}(${args.map((a) => exprToString(a)).join(', ')})`;
}

function aggregateCallMessage(call: AggCall, stateType: DataType): string {
  const fix =
    stateType.kind === 'struct'
      ? `Aggregate the fields one by one (e.g. ${call.fn}(col('s.a')), ${call.fn}(col('s.b'))) and rebuild the struct with struct() after the aggregation.`
      : 'Aggregate a plain column instead (e.g. the array joined into a string, or its size).';
  return `${callText(call)} keeps a value of type ${typeName(stateType)} in streaming state, which holds plain columns and lists of them only (numbers, strings, booleans, dates, timestamps) yet. ${fix}`;
}

/** Refuses an aggregation (plain, windowed or session) whose keys or aggregate states the state store cannot hold. */
function checkAggregate(agg: Aggregate): void {
  const input = agg.child.schema;
  agg.groupBy.forEach((_, i) => {
    const f = agg.schema.fields[i];
    if (f !== undefined && !(plain(f.type) || (f.type.kind === 'struct' && f.type.fields.every((x) => plain(x.type))))) {
      throw unsupported(
        `A streaming aggregation cannot group by '${f.name}' of type ${typeName(f.type)} yet: its state keys hold plain columns and structs of them. Group by plain columns (e.g. the fields of a struct) instead.`,
      );
    }
  });
  for (const e of agg.aggregates) {
    for (const call of collectAggCalls(e)) {
      const bound = bindAggregate(call, aggregateValueType(call, input));
      const bad = bound.stateFields.find((s) => !storable(s.type));
      if (bad !== undefined) throw unsupported(aggregateCallMessage(call, bad.type));
    }
  }
}

function checkColumns(schema: Schema, names: readonly string[], fits: (t: DataType) => boolean, what: string, fix: string): void {
  for (const name of names) {
    const f = schema.fields.find((x) => x.name === name);
    if (f !== undefined && !fits(f.type)) throw unsupported(`${what} '${f.name}' of type ${typeName(f.type)}, which streaming state cannot hold yet. ${fix}`);
  }
}

/**
 * Refuses, with the function or column to change, a stateful node whose state the state store
 * cannot hold: struct-valued aggregates (lists of plain values are stored as blobs), list-typed group
 * and deduplication keys, and list-typed columns in the rows a stream-stream join stores.
 */
export function checkStateColumns(node: LogicalPlan): void {
  switch (node.kind) {
    case 'aggregate':
      checkAggregate(node);
      return;
    case 'deduplicate': {
      const schema = node.child.schema;
      for (const key of node.keys) {
        const f = schema.fields.find((x) => x.name === key);
        if (f !== undefined && !plain(f.type)) {
          throw unsupported(
            `Streaming deduplication keeps its key columns in state, and '${f.name}' has type ${typeName(f.type)}, which streaming state cannot hold as a key yet. ` +
              'Deduplicate on plain columns instead (e.g. select the fields of a struct as columns first).',
          );
        }
      }
      return;
    }
    case 'join':
      for (const side of [node.left, node.right]) {
        checkColumns(
          side.schema,
          side.schema.fields.map((f) => f.name),
          flattenable,
          'A stream-stream join keeps the rows of both inputs in state, including column',
          'Drop the column (or turn it into plain columns) before the join.',
        );
      }
      for (const [side, keys] of [
        [node.left, node.leftKeys],
        [node.right, node.rightKeys],
      ] as const) {
        for (const k of keys) {
          const t = analyzeExpr(k, side.schema).type;
          if (!flattenable(t)) throw unsupported(`A stream-stream join cannot match on ${exprToString(k)} of type ${typeName(t)} yet: join on plain columns.`);
        }
      }
      return;
    case 'transformWithState':
      checkColumns(
        node.child.schema,
        node.keys,
        plain,
        'transformWithState keys its state by the grouping columns, and got',
        'Group by plain columns instead.',
      );
      return;
    default:
      return;
  }
}

import type { PhysicalOperator } from '../physical/physical-operator.js';

/** Renders a physical plan as an indented tree of `OperatorName description` lines. */
export function explainPhysicalPlan(root: PhysicalOperator): string {
  const lines: string[] = [];
  const walk = (op: PhysicalOperator, depth: number): void => {
    const d = op.describe();
    lines.push(`${depth === 0 ? '' : `${'   '.repeat(depth - 1)}+- `}${op.name}${d ? ` ${d}` : ''}`);
    for (const c of op.children) walk(c, depth + 1);
  };
  walk(root, 0);
  return lines.join('\n');
}

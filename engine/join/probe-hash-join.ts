import type { ColumnarBatch } from '../../common/column-vector.js';
import type { JoinEmitter, ProbeInput } from './join-emitter.js';
import type { HashJoinTable } from './hash-join-table.js';

/**
 * Probes one batch against a hash join table and yields its output: the matching pairs
 * (probe row order; one probe row's matches in build row order) in batches of at most
 * `batchSize` rows, then whatever the join owes for the batch's unmatched or semi/anti
 * rows. Build rows that match are marked in `emitter.buildMatched`, except for a
 * condition-free semi/anti join built on the left: there only `groupHit[group]` is set
 * (the caller expands it to rows once, instead of walking a chain per probe row).
 */
export function* probeHashJoin(
  table: HashJoinTable,
  emitter: JoinEmitter,
  probe: ProbeInput,
  groupHit: Uint8Array,
  batchSize: number,
): Generator<ColumnarBatch> {
  const n = probe.batch.numRows;
  const groups = table.lookup(probe.keys, n);
  const probeMatched = new Uint8Array(n);
  const roles = emitter.roles;
  const cond = emitter.hasCondition;
  if (!cond && roles.semiAntiProbe) {
    for (let i = 0; i < n; i++) probeMatched[i] = (groups[i] as number) >= 0 ? 1 : 0;
  } else if (!cond && roles.semiAntiBuild) {
    for (let i = 0; i < n; i++) {
      const g = groups[i] as number;
      if (g >= 0) groupHit[g] = 1;
    }
  } else {
    // Without a condition an unmatched preserved row is known at once: emit it in line, in row order.
    const inlineUnmatched = !cond && roles.probeUnmatched;
    const cap = Math.max(1, Math.min(batchSize, Math.max(n, 1024)));
    const pBuf = new Int32Array(cap);
    const bBuf = new Int32Array(cap);
    const head = table.head;
    const next = table.next;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const g = groups[i] as number;
      if (g < 0) {
        if (!inlineUnmatched) continue;
        pBuf[k] = i;
        bBuf[k] = -1;
        if (++k === cap) {
          const out = emitter.pairs(probe, pBuf, bBuf, k, probeMatched);
          k = 0;
          if (out !== null) yield out;
        }
        continue;
      }
      for (let r = head[g] as number; r >= 0; r = next[r] as number) {
        pBuf[k] = i;
        bBuf[k] = r;
        if (++k === cap) {
          const out = emitter.pairs(probe, pBuf, bBuf, k, probeMatched);
          k = 0;
          if (out !== null) yield out;
        }
      }
    }
    if (k > 0) {
      const out = emitter.pairs(probe, pBuf, bBuf, k, probeMatched);
      if (out !== null) yield out;
    }
  }
  yield* emitter.probeTail(probe, probeMatched, batchSize);
}

import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime (Linux's USER_HZ, 100 on every common build). */
const TICKS = 100;

/**
 * CPU seconds (user + system) used so far by process `pid` and all its live descendants,
 * from /proc (Linux only; 0 elsewhere). The Spark peer is a Python driver with a JVM
 * child, so the tree is what counts.
 */
export function treeCpuSeconds(pid: number): number {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return 0;
  }
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const e of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue;
    }
    // the command name (field 2) may hold spaces: fields after it start past the last ')'
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parent.set(Number(e), Number(f[1]));
    ticks.set(Number(e), Number(f[11]) + Number(f[12]));
  }
  let total = 0;
  for (const [p] of ticks) {
    for (let q: number | undefined = p; q !== undefined && q > 1; q = parent.get(q)) {
      if (q === pid) {
        total += ticks.get(p) as number;
        break;
      }
    }
  }
  return total / TICKS;
}

import { describe, expect, it } from 'vitest';
import { clickstreamTable, generateClickstream, pageNames } from '../../../benchmarks/data/generate-clickstream.js';
import { START_MS } from '../../../benchmarks/data/transaction-options.js';

describe('seeded clickstream generator', () => {
  it('gives the same rows for the same seed and other rows for another seed', () => {
    const a = generateClickstream({ rows: 2_000, seed: 3 });
    const b = generateClickstream({ rows: 2_000, seed: 3 });
    const c = generateClickstream({ rows: 2_000, seed: 4 });
    expect([...a.eventTimeMs]).toEqual([...b.eventTimeMs]);
    expect([...a.userId]).toEqual([...b.userId]);
    expect([...a.pageIdx]).toEqual([...b.pageIdx]);
    expect([...a.eventTimeMs]).not.toEqual([...c.eventTimeMs]);
  });

  it('keeps event time out of order by less than the jitter, within the span, users and pages in range', () => {
    const c = generateClickstream({ rows: 5_000, seed: 1, users: 50, pages: 10, spanMs: 3_600_000, jitterMaxMs: 2_000 });
    let maxSeen = Number.NEGATIVE_INFINITY;
    let disorder = 0;
    for (let i = 0; i < c.rows; i++) {
      const t = c.eventTimeMs[i] as number;
      expect(t).toBeGreaterThanOrEqual(START_MS);
      disorder = Math.max(disorder, maxSeen - t);
      maxSeen = Math.max(maxSeen, t);
      expect(c.userId[i]).toBeLessThan(50);
      expect(c.pageIdx[i]).toBeLessThan(10);
    }
    expect(disorder).toBeGreaterThan(0);
    expect(disorder).toBeLessThan(2_000);
    // Page popularity falls with rank: '/' is the most viewed page.
    const counts = new Array(10).fill(0);
    for (const p of c.pageIdx) counts[p]++;
    expect(counts[0]).toBe(Math.max(...counts));
  });

  it('builds an Arrow table with the clickstream schema', () => {
    const c = generateClickstream({ rows: 100, seed: 9, pages: 5 });
    const t = clickstreamTable(c, 5, 10, 20);
    expect(t.numRows).toBe(10);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['event_time', 'user_id', 'page']);
    expect(pageNames(5)).toContain(t.getChild('page')?.get(0));
    expect(Number(t.getChild('user_id')?.get(0))).toBe(c.userId[10]);
  });

  it('refuses bad options with a clear error', () => {
    expect(() => generateClickstream({ rows: 10, users: 0 })).toThrow(/users, pages and viewsPerVisit must be >= 1/);
    expect(() => generateClickstream({ rows: -1 })).toThrow(/rows must be a non-negative integer/);
  });
});

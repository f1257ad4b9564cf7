import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MALFORMED_RECORDS_WARNING } from '../../../../engine/physical/malformed-warning.js';
import { Sluice } from '../../../../engine/session/sluice.js';

let sluice: Sluice;
let dir: string;
let path: string;
const LINES = 10_000;
const warnings: Error[] = [];
const onWarning = (w: Error): void => {
  if ((w as { code?: string }).code === MALFORMED_RECORDS_WARNING) warnings.push(w);
};

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-stray-quote-'));
  path = join(dir, 'data.csv');
  const lines = ['id,name,score'];
  for (let i = 0; i < LINES; i++) lines.push(i === 4 ? `${i},"broken,${i}` : `${i},n${i},${i / 2}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  process.on('warning', onWarning);
});
afterAll(async () => {
  process.off('warning', onWarning);
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

const read = (mode: string, extra: Record<string, string> = {}) => {
  let r = sluice.read.format('csv').option('header', true).option('mode', mode).schema('id BIGINT, name STRING, score DOUBLE, _corrupt_record STRING');
  r = r.options(extra);
  return r.load(path);
};

/** Warnings are emitted on the next tick: wait for them. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('a stray quote in a CSV file without multiLine', () => {
  it('PERMISSIVE nulls that one record and keeps every other line, and warns with the count', async () => {
    warnings.length = 0;
    const df = await read('PERMISSIVE');
    expect(await df.count()).toBe(LINES);
    const rows = await df.filter(df.col('_corrupt_record').isNotNull()).toArray();
    expect(rows).toEqual([{ id: 4n, name: 'broken,4', score: null, _corrupt_record: '4,"broken,4' }]);
    const after = await df.filter(df.col('id').eqNullSafe(5)).toArray();
    expect(after).toEqual([{ id: 5n, name: 'n5', score: 2.5, _corrupt_record: null }]);
    await settle();
    expect(warnings.map((w) => w.message).join('\n')).toContain('1 malformed CSV record(s)');
    expect(warnings.map((w) => w.message).join('\n')).toContain('1 kept with null values (mode PERMISSIVE)');
  });

  it('DROPMALFORMED drops that one record only and reports it', async () => {
    warnings.length = 0;
    const rows = await (await read('DROPMALFORMED')).select('id').toArray();
    expect(rows).toHaveLength(LINES - 1);
    expect(rows.some((r) => r.id === 4n)).toBe(false);
    await settle();
    expect(warnings.map((w) => w.message).join('\n')).toContain('1 dropped (mode DROPMALFORMED)');
  });

  it('FAILFAST names the line of the unclosed quote', async () => {
    await expect((await read('FAILFAST')).toArray()).rejects.toThrow(/at line 6: a quoted field is not closed/);
  });

  it('with multiLine the quote spans lines, as in Spark, and is still counted', async () => {
    warnings.length = 0;
    const rows = await (await read('PERMISSIVE', { multiLine: 'true' })).toArray();
    expect(rows.length).toBe(5);
    await settle();
    expect(warnings.map((w) => w.message).join('\n')).toContain('1 kept with null values');
  });
});

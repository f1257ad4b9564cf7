import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sluice } from '../../index.js';
import { Trigger } from '../../scheduler/trigger.js';
import { EVENTS_SCHEMA, writeEventFiles } from '../helpers/event-files.js';

let sluice: Sluice;
let dir: string;
let input: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-sql-tables-'));
  input = join(dir, 'in');
  writeEventFiles(input, 0, 3, 20);
  sluice = await Sluice.builder().workers(1).config('sluice.sql.warehouse.dir', join(dir, 'warehouse')).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function events() {
  return sluice.readStream.format('csv').schema(EVENTS_SCHEMA).option('header', true).load(input);
}

describe('SQL FROM a table (after temp views, as Spark resolves names)', () => {
  it('reads a toTable table and a memory-sink table, and a temp view of the same name wins', async () => {
    const batch = await sluice.read.format('csv').schema(EVENTS_SCHEMA).option('header', true).load(input);
    const want = (await batch.groupBy('kind').count().orderBy('kind').toArray()).map((r) => [r.kind, Number(r.count)]);
    expect(want.length).toBeGreaterThan(0);

    const toTable = await (await events()).writeStream.option('checkpointLocation', join(dir, 'ck1')).trigger(Trigger.availableNow()).toTable('events_tbl');
    expect(await toTable.awaitTermination(30_000)).toBe(true);
    const fromTable = await sluice.sql('SELECT kind, count(*) AS n FROM events_tbl GROUP BY kind ORDER BY kind');
    expect((await fromTable.toArray()).map((r) => [r.kind, Number(r.n)])).toEqual(want);

    const counts = (await events()).groupBy('kind').count();
    const mem = await counts.writeStream
      .format('memory')
      .queryName('kind_counts')
      .outputMode('complete')
      .option('checkpointLocation', join(dir, 'ck2'))
      .trigger(Trigger.availableNow())
      .start();
    expect(await mem.awaitTermination(30_000)).toBe(true);
    const fromMemory = await sluice.sql('SELECT kind, count AS n FROM kind_counts ORDER BY kind');
    expect((await fromMemory.toArray()).map((r) => [r.kind, Number(r.n)])).toEqual(want);

    // A temp view shadows the table of the same name.
    (await sluice.sql("SELECT 'view' AS kind, 1 AS n")).createOrReplaceTempView('events_tbl');
    expect(await (await sluice.sql('SELECT kind FROM events_tbl')).toArray()).toEqual([{ kind: 'view' }]);
  });
});

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedFiles } from '../../../common/log/committed-files.js';
import { types } from '../../../common/data-type.js';
import { field, schemaOf } from '../../../common/schema.js';
import type { Row } from '../../../dataframe/data-frame.js';
import type { ForeachWriter } from '../../../dataframe/data-stream-writer.js';
import { col } from '../../../dataframe/expr/functions.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { MemoryStream } from '../../../sources/memory/memory-stream.js';

let sluice: Sluice;
let dir: string;
const schema = schemaOf([field('k', types.utf8), field('v', types.int64)]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-foreach-table-'));
  sluice = await Sluice.builder().workers(1).config('sluice.sql.warehouse.dir', join(dir, 'warehouse')).getOrCreate();
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A ForeachWriter that records every call, skips the epochs in `skip` and fails on a row with v = `failOn`. */
class RecordingWriter implements ForeachWriter {
  readonly calls: string[] = [];
  constructor(
    private readonly skip: ReadonlySet<number> = new Set(),
    private readonly failOn: bigint | null = null,
  ) {}
  open(partitionId: number, epochId: number): boolean {
    this.calls.push(`open(${partitionId},${epochId})`);
    return !this.skip.has(epochId);
  }
  async process(row: Row): Promise<void> {
    if (row.v === this.failOn) throw new Error(`bad row ${row.k}`);
    this.calls.push(`process(${row.k}=${row.v})`);
  }
  close(error: Error | null): void {
    this.calls.push(`close(${error === null ? 'null' : error.message})`);
  }
}

describe('writeStream.foreach', () => {
  it('calls open/process/close per epoch; open returning false skips the rows, close still runs', async () => {
    const input = new MemoryStream(schema);
    const w = new RecordingWriter(new Set([1]));
    const q = await sluice.readStream.fromSource(input).filter(col('v').gt(0)).writeStream.foreach(w).start();
    input.addData([
      { k: 'a', v: 1n },
      { k: 'b', v: 2n },
    ]);
    await q.processAllAvailable();
    input.addData([{ k: 'c', v: 3n }]);
    await q.processAllAvailable();
    input.addData([
      { k: 'd', v: 4n },
      { k: 'z', v: -1n },
    ]);
    await q.processAllAvailable();
    await q.stop();
    expect(w.calls).toEqual([
      'open(0,0)',
      'process(a=1)',
      'process(b=2)',
      'close(null)',
      'open(0,1)',
      'close(null)',
      'open(0,2)',
      'process(d=4)',
      'close(null)',
    ]);
  });

  it('a process() error reaches close(error) and fails the query with it', async () => {
    const input = new MemoryStream(schema);
    const w = new RecordingWriter(new Set(), 2n);
    const q = await sluice.readStream.fromSource(input).writeStream.foreach(w).start();
    input.addData([
      { k: 'a', v: 1n },
      { k: 'b', v: 2n },
      { k: 'c', v: 3n },
    ]);
    await expect(q.processAllAvailable()).rejects.toThrow(/bad row b/);
    expect(w.calls).toEqual(['open(0,0)', 'process(a=1)', 'close(bad row b)']);
    expect(q.isActive).toBe(false);
  });

  it('refuses a writer without the three methods', () => {
    const df = sluice.readStream.fromSource(new MemoryStream(schema));
    expect(() => df.writeStream.foreach({ open: () => true } as unknown as ForeachWriter)).toThrow(
      /open\(partitionId, epochId\), process\(row\) and close\(error\)/,
    );
  });
});

describe('writeStream.toTable', () => {
  it('writes a Parquet table under the warehouse, registered in the catalog and readable in batch', async () => {
    const input = new MemoryStream(schema);
    const ckpt = join(dir, 'events-ckpt');
    const q = await sluice.readStream.fromSource(input).writeStream.option('checkpointLocation', ckpt).toTable('Events');
    expect(sluice.catalog.listTables()).toEqual(['events']);
    expect(await sluice.table('events').toArray()).toEqual([]);
    input.addData([
      { k: 'a', v: 1n },
      { k: 'b', v: 2n },
    ]);
    await q.processAllAvailable();
    input.addData([{ k: 'c', v: 3n }]);
    await q.processAllAvailable();
    const location = join(dir, 'warehouse', 'events');
    expect(sluice.catalog.get('EVENTS')?.location).toBe(location);
    expect(readdirSync(join(location, '_sluice_metadata')).sort()).toEqual(['0', '1', 'owner']);
    expect(await committedFiles(location)).toHaveLength(2);
    expect(await sluice.table('events').orderBy('v').toArray()).toEqual([
      { k: 'a', v: 1n },
      { k: 'b', v: 2n },
      { k: 'c', v: 3n },
    ]);
    expect((await (await sluice.read.table('Events')).toArray()).length).toBe(3);
    await q.stop();
    // A session that did not write the table finds its folder under the warehouse.
    const other = await Sluice.builder().workers(1).config('sluice.sql.warehouse.dir', join(dir, 'warehouse')).getOrCreate();
    try {
      expect(await (await other.read.table('events')).orderBy('v').toArray()).toEqual([
        { k: 'a', v: 1n },
        { k: 'b', v: 2n },
        { k: 'c', v: 3n },
      ]);
      expect(() => other.table('events')).toThrow(/No table named 'events'.*await sluice.read.table\('events'\)/);
    } finally {
      await other.stop();
    }
  });

  it('writes a partitioned CSV table that reads back with its columns', async () => {
    const input = new MemoryStream(schema);
    const q = await sluice.readStream
      .fromSource(input)
      .writeStream.format('csv')
      .option('header', true)
      .partitionBy('k')
      .option('checkpointLocation', join(dir, 'kv-ckpt'))
      .toTable('kv');
    input.addData([
      { k: 'a', v: 1n },
      { k: null, v: 2n },
    ]);
    await q.processAllAvailable();
    await q.stop();
    expect(existsSync(join(dir, 'warehouse', 'kv', 'k=__HIVE_DEFAULT_PARTITION__'))).toBe(true);
    const t = sluice.table('kv');
    expect(t.schema.fields.map((f) => `${f.name} ${f.type.kind}`)).toEqual(['v int64', 'k utf8']);
    expect(await t.orderBy('v').toArray()).toEqual([
      { v: 1n, k: 'a' },
      { v: 2n, k: null },
    ]);
  });

  it('refuses what toTable cannot write, and names a missing table', async () => {
    const df = sluice.readStream.fromSource(new MemoryStream(schema));
    await expect(df.writeStream.format('console').toTable('t1')).rejects.toThrow(/writes files \(parquet, csv or json\)/);
    await expect(df.writeStream.toTable('bad name')).rejects.toThrow(/Table name 'bad name' is not valid/);
    await expect(df.writeStream.toTable('nockpt')).rejects.toThrow(/checkpoint location/);
    await expect(sluice.read.table('missing')).rejects.toThrow(/No table named 'missing'.*Tables: events, kv/);
  });
});

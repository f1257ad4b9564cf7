import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../../common/errors.js';
import type { StreamingQuery } from '../../../dataframe/streaming-query.js';
import { Sluice } from '../../../engine/session/sluice.js';
import { Trigger } from '../../../scheduler/trigger.js';
import { writeKvCsv } from '../../helpers/kv-csv-files.js';

// One Parquet sink folder belongs to one query: a second query (another checkpoint) would
// reuse its batch ids, and the sink would skip them as already written, losing their rows.

let sluice: Sluice;
let dir: string;
let n = 0;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(1).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-sink-owner-'));
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh case folder with an input folder holding `files` CSV files of one row each. */
function newCase(files: number): { input: string; out: string; ckpt: (name: string) => string } {
  const base = join(dir, `case-${n++}`);
  const input = join(base, 'in');
  mkdirSync(input, { recursive: true });
  for (let i = 0; i < files; i++) writeKvCsv(input, `f${i}.csv`, [`k${i},${i}`]);
  return { input, out: join(base, 'out'), ckpt: (name) => join(base, name) };
}

function start(input: string, checkpoint: string, out: string, trigger = Trigger.availableNow()): Promise<StreamingQuery> {
  return sluice.readStream
    .format('csv')
    .schema('k STRING, v BIGINT')
    .option('header', true)
    .option('maxFilesPerTrigger', 1)
    .load(input)
    .then((df) => df.writeStream.format('parquet').option('checkpointLocation', checkpoint).trigger(trigger).start(out));
}

async function runToEnd(input: string, checkpoint: string, out: string): Promise<StreamingQuery> {
  const q = await start(input, checkpoint, out);
  expect(await q.awaitTermination(20_000)).toBe(true);
  return q;
}

async function keys(out: string): Promise<string[]> {
  const rows = await (await sluice.read.parquet(out)).toArray();
  return rows.map((r) => String(r.k)).sort();
}

async function refusal(p: Promise<unknown>): Promise<SluiceError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SluiceError);
  return e as SluiceError;
}

describe('a Parquet sink folder belongs to one query', () => {
  it('refuses a second query with another checkpoint, naming the owner, and loses no rows', async () => {
    const c = newCase(3);
    const first = await runToEnd(c.input, c.ckpt('ckpt-a'), c.out);
    expect(await keys(c.out)).toEqual(['k0', 'k1', 'k2']);
    const owner = JSON.parse(readFileSync(join(c.out, '_sluice_metadata', 'owner'), 'utf8').split('\n')[1] as string);
    expect(owner).toEqual({ queryId: first.id, checkpointLocation: c.ckpt('ckpt-a') });

    writeKvCsv(c.input, 'f3.csv', ['k3,3']);
    const e = await refusal(start(c.input, c.ckpt('ckpt-b'), c.out));
    expect(e.code).toBe('SINK_CONFLICT');
    expect(e.message).toContain(`Output folder '${c.out}' belongs to another streaming query: query ${first.id} (checkpoint '${c.ckpt('ckpt-a')}')`);
    expect(e.message).toContain('Give this query its own output folder');
    expect(sluice.streams.active).toEqual([]);
    // The refused query wrote nothing, and its checkpoint lock is released.
    expect(readdirSync(join(c.ckpt('ckpt-b'), 'offsets'))).toEqual([]);
    expect(existsSync(join(c.ckpt('ckpt-b'), 'lock'))).toBe(false);

    // The owner, restarted on its own checkpoint, goes on and picks up the new file.
    await runToEnd(c.input, c.ckpt('ckpt-a'), c.out);
    expect(await keys(c.out)).toEqual(['k0', 'k1', 'k2', 'k3']);
  });

  it('refuses a second query while the owner is running', async () => {
    const c = newCase(2);
    const running = await start(c.input, c.ckpt('ckpt-a'), c.out, Trigger.processingTime(0));
    try {
      await running.processAllAvailable();
      const e = await refusal(start(c.input, c.ckpt('ckpt-b'), c.out, Trigger.processingTime('1 hour')));
      expect(e.code).toBe('SINK_CONFLICT');
      expect(e.message).toContain(`query ${running.id}`);
      expect(running.isActive).toBe(true);
    } finally {
      await running.stop();
    }
    expect(running.exception).toBeNull();
    expect(await keys(c.out)).toEqual(['k0', 'k1']);
  });

  it('a query restarted after its checkpoint was deleted gets the error, and following it (delete the output folder) recovers every row', async () => {
    const c = newCase(2);
    await runToEnd(c.input, c.ckpt('ckpt'), c.out);
    rmSync(c.ckpt('ckpt'), { recursive: true });
    const e = await refusal(start(c.input, c.ckpt('ckpt'), c.out));
    expect(e.code).toBe('SINK_CONFLICT');
    expect(e.message).toContain('its batch ids start again from 0: move or delete the output folder to start over');
    rmSync(c.out, { recursive: true });
    rmSync(c.ckpt('ckpt'), { recursive: true, force: true });
    await runToEnd(c.input, c.ckpt('ckpt'), c.out);
    expect(await keys(c.out)).toEqual(['k0', 'k1']);
  });

  it('refuses a checkpoint that is behind the folder: offsets and commits deleted, or a folder from before owners were recorded', async () => {
    const c = newCase(3);
    await runToEnd(c.input, c.ckpt('ckpt'), c.out);
    // Same query id (metadata kept), but its logs were reset: batch ids would restart at 0.
    for (const d of ['offsets', 'commits', 'sources']) rmSync(join(c.ckpt('ckpt'), d), { recursive: true });
    const e = await refusal(start(c.input, c.ckpt('ckpt'), c.out));
    expect(e.code).toBe('SINK_CONFLICT');
    expect(e.message).toContain(`has batches up to 2 in its commit log '${join(c.out, '_sluice_metadata')}'`);
    expect(e.message).toContain('continues with batch 0: batches 0 to 2 would be skipped');

    // A folder without an owner file (written by an older Sluice) and a fresh checkpoint: refused too.
    rmSync(join(c.out, '_sluice_metadata', 'owner'));
    const legacy = await refusal(start(c.input, c.ckpt('fresh'), c.out));
    expect(legacy.code).toBe('SINK_CONFLICT');
    expect(legacy.message).toContain('has batches up to 2');
    expect(existsSync(join(c.out, '_sluice_metadata', 'owner'))).toBe(false);
    expect(await keys(c.out)).toEqual(['k0', 'k1', 'k2']);
  });

  it('a folder from before owners were recorded is claimed by the query whose checkpoint wrote it', async () => {
    const c = newCase(2);
    const q = await runToEnd(c.input, c.ckpt('ckpt'), c.out);
    rmSync(join(c.out, '_sluice_metadata', 'owner'));
    writeKvCsv(c.input, 'f2.csv', ['k2,2']);
    await runToEnd(c.input, c.ckpt('ckpt'), c.out);
    expect(await keys(c.out)).toEqual(['k0', 'k1', 'k2']);
    expect(readFileSync(join(c.out, '_sluice_metadata', 'owner'), 'utf8')).toContain(q.id);
  });
});

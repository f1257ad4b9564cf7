import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, jsonLines, REPO_ROOT, runCli } from '../../helpers/run-cli.js';

let dir: string;
let tx: string;
const ROWS = 4000;

/** A TypeScript job (type annotations, an interface) over the generated transactions: spend per card per 1-minute window. */
const TS_JOB = `import { col, count, sum, window, defineJob } from '${join(REPO_ROOT, 'dist/index.js')}';
import type { DataFrame } from '${join(REPO_ROOT, 'dist/index.js')}';

interface Inputs { readonly tx?: DataFrame }
const transform = ({ tx }: Inputs): DataFrame =>
  (tx as DataFrame)
    .withWatermark('event_time', '30 seconds')
    .groupBy(window(col('event_time'), '1 minute'), col('card_id'))
    .agg(count().alias('n'), sum('amount').alias('total'));

export default defineJob({
  name: 'spend-per-card-minute',
  description: 'test job',
  inputs: { tx: { format: 'parquet', schema: 'event_time timestamp[ms, UTC], card_id BIGINT, merchant_id STRING, amount DOUBLE, country STRING, is_online BOOLEAN' } },
  transform: transform as (inputs: Readonly<Record<string, DataFrame>>) => DataFrame,
  outputMode: 'append',
  sink: { format: 'parquet' },
});
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-run-'));
  tx = join(dir, 'tx');
  const g = runCli(['gen', '--rows', String(ROWS), '--files', '4', '--cards', '40', '--rate', '20', '--out', tx]);
  if (g.status !== 0) throw new Error(g.stderr);
  writeFileSync(join(dir, 'job.ts'), TS_JOB);
  // As in a user's ES module project: a .ts file is an ES module when its package says so.
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON whose shape the assertions check
type Json = Record<string, any>;

describe('sluice run with JSON progress lines, then checkpoint inspect', () => {
  let events: Json[];
  const ckpt = (): string => join(dir, 'ck');
  const out = (): string => join(dir, 'out');

  it('runs a .ts job on this Node.js and prints one JSON line per event and a summary (stderr is not a terminal)', () => {
    const r = runCli([
      'run',
      join(dir, 'job.ts'),
      '--mode',
      'available-now',
      '--input',
      tx,
      '--output',
      out(),
      '--checkpoint',
      ckpt(),
      '--max-files-per-trigger',
      '1',
      '--workers',
      '1',
    ]);
    expect(r.status, r.stderr).toBe(0);
    events = jsonLines(r.stderr);
    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe('queryStarted');
    expect(kinds.slice(-2)).toEqual(['queryTerminated', 'summary']);
    const progress = events.filter((e) => e.event === 'queryProgress').map((e) => e.progress as Json);
    expect(progress.map((p) => p.batchId)).toEqual(progress.map((_, i) => i));
    expect(progress.reduce((s, p) => s + p.numInputRows, 0)).toBe(ROWS);
    expect(progress.filter((p) => p.numInputRows > 0)).toHaveLength(4);
    expect(events.at(-2)?.exception).toBeNull();
    const summary = events.at(-1) as Json;
    expect(summary).toMatchObject({ job: 'spend-per-card-minute', mode: 'available-now', status: 'ok' });
    const q = summary.queries[0] as Json;
    const last = progress.at(-1) as Json;
    expect(q.batches).toBe(progress.length);
    expect(q.inputRows).toBe(ROWS);
    expect(q.watermark).toBe(last.eventTime.watermark);
    expect(q.stateRows).toBe(last.stateOperators[0].numRowsTotal);
    expect(q.lateRows).toBe(progress.reduce((s, p) => s + p.stateOperators[0].numRowsDroppedByWatermark, 0));
  });

  it('checkpoint inspect --json agrees with the progress the run reported', () => {
    const r = runCli(['checkpoint', 'inspect', ckpt(), '--output', out(), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as Json;
    const progress = events.filter((e) => e.event === 'queryProgress').map((e) => e.progress as Json);
    const last = progress.at(-1) as Json;
    expect(rep.queryId).toBe(last.id);
    expect(rep.lastCommittedBatch).toBe(last.batchId);
    expect(rep.pendingBatch).toBeNull();
    expect(rep.committedBatches.at(-1)).toBe(last.batchId);
    // The newest commit holds the watermark the next batch would run with.
    expect(rep.watermark >= last.eventTime.watermark).toBe(true);
    expect(rep.sources).toEqual([{ index: 0, latestOffset: last.sources[0].endOffset, committedOffset: last.sources[0].endOffset }]);
    expect(rep.stateOperators).toHaveLength(1);
    expect(rep.stateOperators[0].rows).toBe(last.stateOperators[0].numRowsTotal);
    expect(rep.stateOperators[0].partitions).toBe(last.stateOperators[0].numStateStoreInstances);
    expect(rep.stateOperators[0].bytesOnDisk).toBeGreaterThan(0);
    expect(rep.sinkLog.latestBatchId).toBe(last.batchId);
    expect(rep.sinkLog.files).toBeGreaterThan(0);
    expect(rep.lastError).toBeNull();
    expect(rep.lock).toBeNull();
    const text = runCli(['checkpoint', 'inspect', ckpt()]);
    expect(text.stdout).toContain(`  last committed:   ${last.batchId}\n`);
    expect(text.stdout).toContain(`operator 0: ${last.stateOperators[0].numRowsTotal} rows in `);
    expect(text.stdout).toContain('Last error:\n  none recorded');
  });

  it('a batch that fails records last-error.json, shown by checkpoint inspect; the CLI exits 1 with the error', () => {
    const input = join(dir, 'bad-in');
    mkdirSync(input);
    copyFileSync(join(tx, 'part-00000.parquet'), join(input, 'part-00000.parquet'));
    writeFileSync(join(input, 'part-00001.parquet'), 'this is not parquet');
    const ck = join(dir, 'bad-ck');
    const r = runCli([
      'run',
      join(dir, 'job.ts'),
      '--mode',
      'available-now',
      '--input',
      input,
      '--output',
      join(dir, 'bad-out'),
      '--checkpoint',
      ck,
      '--max-files-per-trigger',
      '1',
      '--workers',
      '1',
    ]);
    expect(r.status).toBe(1);
    const evs = jsonLines(r.stderr.split('\nsluice: ')[0] as string);
    const terminated = evs.find((e) => e.event === 'queryTerminated') as Json;
    expect(terminated.exception.code).toBe('QUERY_FAILED');
    expect(evs.at(-1)).toMatchObject({ event: 'summary', status: 'failed' });
    const rep = JSON.parse(runCli(['checkpoint', 'inspect', ck, '--json']).stdout) as Json;
    expect(rep.lastError).toMatchObject({ code: 'QUERY_FAILED', batchId: 1, queryId: rep.queryId });
    expect(rep.lastError.message).toContain('part-00001.parquet');
    expect(rep.lastCommittedBatch).toBe(0);
    expect(rep.pendingBatch).toBe(1);
    expect(runCli(['checkpoint', 'inspect', ck]).stdout).toMatch(/Last error:\n {2}\S+ run \S+ batch 1: \[QUERY_FAILED\]/);
  });

  it('checkpoint inspect of a folder that is not a checkpoint exits 1 naming it', () => {
    const r = runCli(['checkpoint', 'inspect', tx]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`'${tx}' is not a checkpoint folder`);
  });
});

describe('batch mode off a terminal', () => {
  it('prints no progress bar, only the summary line, and writes the result', () => {
    const out = join(dir, 'batch-out');
    const r = runCli(['run', join(dir, 'job.ts'), '--input', tx, '--output', out, '--workers', '1']);
    expect(r.status, r.stderr).toBe(0);
    const evs = jsonLines(r.stderr);
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({ event: 'summary', job: 'spend-per-card-minute', mode: 'batch', status: 'ok', queries: [] });
    expect(readdirSync(out).some((n) => n.endsWith('.parquet'))).toBe(true);
  });

  it('--log text prints one plain line per batch', () => {
    const r = runCli([
      'run',
      join(dir, 'job.ts'),
      '--mode',
      'available-now',
      '--input',
      tx,
      '--output',
      join(dir, 'text-out'),
      '--checkpoint',
      join(dir, 'text-ck'),
      '--max-files-per-trigger',
      '2',
      '--workers',
      '1',
      '--log',
      'text',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('  batch '));
    expect(lines.map((l) => /batch (\d+)/.exec(l)?.[1])).toEqual(lines.map((_, i) => String(i)));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(r.stderr).toContain(`4000 input rows`);
  });
});

describe('progress on a terminal', () => {
  it('under a pseudo-terminal, the run shows a live line rewritten in place and a summary', () => {
    const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
    if (script.status !== 0) throw new Error('the test needs script(1) from util-linux');
    const args = [
      'run',
      join(dir, 'job.ts'),
      '--mode',
      'available-now',
      '--input',
      tx,
      '--output',
      join(dir, 'tty-out'),
      '--checkpoint',
      join(dir, 'tty-ck'),
      '--max-files-per-trigger',
      '2',
      '--workers',
      '1',
    ];
    const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stdout).toBe(0);
    const screen = r.stdout;
    expect(screen).toContain('\r\x1b[2Kspend-per-card-minute  batch 0  in ');
    expect(screen).toMatch(/batch 1 {2}in [\d.k]+ rows\/s {2}processed [\d.k]+ rows\/s {2}\d+ ms {2}watermark 2024-01-01T\S+ {2}state \d+ rows {2}late \d+/);
    expect(screen).not.toContain('"event"');
    expect(screen).toMatch(
      /sluice: job 'spend-per-card-minute' \(available-now\) finished in [\d.]+ s\r?\n {2}spend-per-card-minute: \d+ batch\(es\), 4000 input rows/,
    );
  });
});

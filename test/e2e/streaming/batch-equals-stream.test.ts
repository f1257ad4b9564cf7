import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../../dataframe/data-frame.js';
import { Sluice } from '../../../engine/session/sluice.js';
import spendByUser from '../../../jobs/examples/spend-by-user.js';
import transactionsCleaning from '../../../jobs/examples/transactions-cleaning.js';
import type { JobDefinition } from '../../../jobs/job-definition.js';
import { runJob } from '../../../jobs/run-job.js';
import { committedFiles } from '../../../common/log/committed-files.js';
import { normalizeRows } from '../../helpers/normalize-rows.js';
import { writeTransactionFiles } from '../../helpers/transaction-files.js';

let sluice: Sluice;
let dir: string;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-batch-stream-'));
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function readOutput(job: JobDefinition, out: string, streamed: boolean): Promise<Row[]> {
  if (streamed && job.outputMode === 'append') {
    const files = await committedFiles(out);
    if (files === null || files.length === 0) return [];
    return (await sluice.read.parquet(...files)).toArray();
  }
  return (await sluice.read.parquet(out)).toArray();
}

const cases: { name: string; job: JobDefinition; seed: number; maxFiles: number }[] = [
  { name: 'transactions-cleaning', job: transactionsCleaning, seed: 1, maxFiles: 1 },
  { name: 'transactions-cleaning', job: transactionsCleaning, seed: 2, maxFiles: 3 },
  { name: 'spend-by-user', job: spendByUser, seed: 3, maxFiles: 1 },
  { name: 'spend-by-user', job: spendByUser, seed: 4, maxFiles: 2 },
];

describe('batch = stream for the example jobs', () => {
  it.each(cases)('$name, seed $seed, maxFilesPerTrigger $maxFiles', async ({ job, seed, maxFiles }) => {
    const base = join(dir, `${job.name}-${seed}-${maxFiles}`);
    const input = join(base, 'in');
    writeTransactionFiles(input, seed, 4, 25);
    const inputPaths = { transactions: input };
    await runJob(sluice, job, { mode: 'batch', inputPaths, output: join(base, 'batch') });
    const run = await runJob(sluice, job, {
      mode: 'available-now',
      inputPaths,
      output: join(base, 'stream'),
      checkpoint: join(base, 'ckpt'),
      maxFilesPerTrigger: maxFiles,
    });
    expect(run.query?.recentProgress.length).toBe(Math.ceil(4 / maxFiles));
    const expected = await readOutput(job, join(base, 'batch'), false);
    const actual = await readOutput(job, join(base, 'stream'), true);
    expect(expected.length).toBeGreaterThan(0);
    const cols = Object.keys(expected[0] as Row);
    expect(normalizeRows(actual, cols)).toEqual(normalizeRows(expected, cols));
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame, Row } from '../../index.js';
import { Sluice, col, count, sum, window } from '../../index.js';
import { explainLogicalPlan } from '../../dataframe/plan/explain-plan.js';
import { Trigger } from '../../scheduler/trigger.js';
import { EVENTS_SCHEMA, writeEventFiles } from '../helpers/event-files.js';
import { normalizeRows } from '../helpers/normalize-rows.js';

let sluice: Sluice;
let dir: string;
let input: string;

const QUERY = (view: string): string => `
  SELECT window.start AS ws, window.end AS we, card_id, n, total
  FROM (
    SELECT window(t, INTERVAL 1 MINUTE), card_id, count(*) AS n, sum(amount) AS total
    FROM ${view}
    WHERE kind = 'event' AND amount > 20
    GROUP BY window(t, '1 minute'), card_id
  )`;

beforeAll(async () => {
  sluice = await Sluice.builder().workers(2).getOrCreate();
  dir = mkdtempSync(join(tmpdir(), 'sluice-sql-stream-'));
  input = join(dir, 'in');
  writeEventFiles(input, 0, 6, 40);
});

afterAll(async () => {
  await sluice.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function eventStream(): Promise<DataFrame> {
  const s = await sluice.readStream.format('csv').schema(EVENTS_SCHEMA).option('header', true).option('maxFilesPerTrigger', 1).load(input);
  return s.withWatermark('t', '30 seconds');
}

/** Runs the query over the files present (one per batch) in complete mode; the last batch's rows are the whole result. */
async function runToEnd(df: DataFrame, checkpoint: string): Promise<Row[]> {
  let out: Row[] = [];
  const q = await df.writeStream
    .outputMode('complete')
    .option('checkpointLocation', checkpoint)
    .trigger(Trigger.availableNow())
    .foreachBatch(async (batch: DataFrame) => {
      out = await batch.toArray();
    })
    .start();
  expect(await q.awaitTermination(60_000)).toBe(true);
  expect(q.recentProgress.length).toBeGreaterThanOrEqual(6);
  return out;
}

describe('SQL over a streaming temp view', () => {
  it('is a streaming query whose windowed aggregation equals the batch result', async () => {
    (await eventStream()).createOrReplaceTempView('events');
    const streamed = await sluice.sql(QUERY('events'));
    expect(streamed.isStreaming).toBe(true);
    const got = await runToEnd(streamed, join(dir, 'ckpt-sql'));

    const batch = await sluice.read.schema(EVENTS_SCHEMA).option('header', true).csv(input);
    batch.createOrReplaceTempView('events_batch');
    const want = await (await sluice.sql(QUERY('events_batch'))).toArray();
    expect(want.length).toBeGreaterThan(10);
    const cols = ['ws', 'we', 'card_id', 'n', 'total'];
    expect(normalizeRows(got, cols)).toEqual(normalizeRows(want, cols));
  });

  it('plans exactly as the DataFrame code does', async () => {
    (await eventStream()).createOrReplaceTempView('events2');
    const viaSql = await sluice.sql(
      "SELECT window(t, '1 minute'), card_id, count(*) AS n, sum(amount) AS total FROM events2 WHERE amount > 20 GROUP BY window(t, '1 minute'), card_id",
    );
    const viaDf = (await eventStream())
      .alias('events2')
      .filter(col('amount').gt(20))
      .groupBy(window('t', '1 minute'), 'card_id')
      .agg(count().alias('n'), sum('amount').alias('total'));
    // A streaming DataFrame is explained by its query; compare the logical plans (each stream has its own source id).
    const text = (df: DataFrame): string => explainLogicalPlan(df.plan);
    expect(viaSql.plan.kind).toBe('aggregate');
    expect(text(viaSql)).toBe(text(viaDf));
  });

  it('applies the same streaming checks as DataFrame code', async () => {
    (await eventStream()).createOrReplaceTempView('events3');
    const sorted = await sluice.sql('SELECT card_id, amount FROM events3 ORDER BY amount');
    const viaDf = (await eventStream()).select('card_id', 'amount').orderBy('amount');
    const failure = async (df: DataFrame): Promise<string> => {
      try {
        await (
          await df.writeStream
            .option('checkpointLocation', join(dir, `ckpt-${Math.random()}`))
            .format('console')
            .start()
        ).stop();
        return 'started';
      } catch (e) {
        return (e as Error).message;
      }
    };
    const msg = await failure(sorted);
    expect(msg).not.toBe('started');
    expect(msg).toBe(await failure(viaDf));
  });
});

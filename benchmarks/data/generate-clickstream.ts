import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { invalidArgument } from '../../common/errors.js';
import { int64Data, stringTable, tableOf, utf8DataFromCodes } from './arrow-columns.js';
import { SeededRandom } from './seeded-random.js';
import { START_MS } from './transaction-options.js';
import { writeParquetFile } from './write-parquet-file.js';

/** The DDL schema of the clickstream files. */
export const CLICKSTREAM_SCHEMA = 'event_time timestamp[ms, UTC], user_id BIGINT, page STRING';

/** Parameters of the synthetic clickstream (page views grouped into user visits). */
export interface ClickstreamOptions {
  /** Number of page views (rows). */
  readonly rows: number;
  /** PRNG seed: the same seed and options give the same rows. */
  readonly seed: number;
  /** Number of distinct users (0..users-1). */
  readonly users: number;
  /** Number of distinct pages (`/`, `/search`, `/p/2`, ...; popularity falls as 1/rank). */
  readonly pages: number;
  /** Visits start uniformly in [START_MS, START_MS + spanMs). */
  readonly spanMs: number;
  /** Mean page views per visit (1 + geometric). */
  readonly viewsPerVisit: number;
  /** Mean gap between two views of a visit in ms (exponential, capped at 10 minutes). */
  readonly meanGapMs: number;
  /** Arrival delay after the event, uniform in [0, jitterMaxMs): the files' disorder. */
  readonly jitterMaxMs: number;
}

/** Defaults of every option but `rows`. */
export const DEFAULT_CLICKSTREAM_OPTIONS: Readonly<Omit<ClickstreamOptions, 'rows'>> = Object.freeze({
  seed: 7,
  users: 2_000,
  pages: 40,
  spanMs: 6 * 3_600_000,
  viewsPerVisit: 6,
  meanGapMs: 45_000,
  jitterMaxMs: 5_000,
});

/** Generated page views as typed arrays, rows in arrival order. */
export interface ClickstreamColumns {
  readonly rows: number;
  readonly eventTimeMs: Float64Array;
  readonly userId: Int32Array;
  readonly pageIdx: Int32Array;
}

/** The page names: `/`, `/search`, `/cart`, then `/p/3`, `/p/4`, ... */
export function pageNames(pages: number): string[] {
  const fixed = ['/', '/search', '/cart'];
  return Array.from({ length: pages }, (_, i) => fixed[i] ?? `/p/${i}`);
}

/**
 * Generates page views: visits of random users, each starting at a uniform time in the span,
 * with 1 + Geometric(viewsPerVisit - 1) views separated by Exp(meanGapMs) gaps (at most
 * 10 minutes, so one visit stays inside a 30-minute session); pages drawn with P(rank k)
 * proportional to 1/k. Two visits of one user may overlap or follow within 30 minutes (then
 * they form one session). Each view arrives a uniform [0, jitterMaxMs) after its event
 * time; rows are ordered by arrival, so event time is out of order by less than jitterMaxMs.
 */
export function generateClickstream(given: Partial<ClickstreamOptions> & { readonly rows: number }): ClickstreamColumns {
  const o: ClickstreamOptions = { ...DEFAULT_CLICKSTREAM_OPTIONS, ...given };
  if (!Number.isSafeInteger(o.rows) || o.rows < 0) throw invalidArgument(`rows must be a non-negative integer, got ${o.rows}.`);
  if (!(o.users >= 1 && o.pages >= 1 && o.viewsPerVisit >= 1 && o.spanMs > 0 && o.jitterMaxMs >= 0))
    throw invalidArgument('Clickstream options users, pages and viewsPerVisit must be >= 1, spanMs > 0 and jitterMaxMs >= 0 (numbers).');
  const r = new SeededRandom(o.seed);
  const cdf = new Float64Array(o.pages);
  let total = 0;
  for (let k = 0; k < o.pages; k++) cdf[k] = total += 1 / (k + 1);
  const event = new Float64Array(o.rows);
  const arrival = new Float64Array(o.rows);
  const user = new Int32Array(o.rows);
  const page = new Int32Array(o.rows);
  const pContinue = 1 - 1 / o.viewsPerVisit;
  let n = 0;
  while (n < o.rows) {
    const u = r.intBelow(o.users);
    let t = START_MS + Math.floor(r.nextDouble() * o.spanMs);
    do {
      event[n] = t;
      arrival[n] = t + Math.floor(r.nextDouble() * o.jitterMaxMs);
      user[n] = u;
      const x = r.nextDouble() * total;
      let k = 0;
      while (k < o.pages - 1 && (cdf[k] as number) < x) k++;
      page[n] = k;
      n++;
      t += Math.min(600_000, Math.max(1_000, Math.round(r.exponential(o.meanGapMs))));
    } while (n < o.rows && r.nextDouble() < pContinue);
  }
  const order = Array.from({ length: o.rows }, (_, i) => i).sort((a, b) => (arrival[a] as number) - (arrival[b] as number) || a - b);
  return {
    rows: o.rows,
    eventTimeMs: Float64Array.from(order, (i) => event[i] as number),
    userId: Int32Array.from(order, (i) => user[i] as number),
    pageIdx: Int32Array.from(order, (i) => page[i] as number),
  };
}

/** Rows [begin, end) as an Arrow table with {@link CLICKSTREAM_SCHEMA}. */
export function clickstreamTable(c: ClickstreamColumns, pages: number, begin = 0, end = c.rows): arrow.Table {
  return tableOf(
    {
      event_time: int64Data(new arrow.Timestamp(arrow.TimeUnit.MILLISECOND, 'UTC'), c.eventTimeMs, begin, end),
      user_id: int64Data(new arrow.Int64(), c.userId, begin, end),
      page: utf8DataFromCodes(stringTable(pageNames(pages)), c.pageIdx, begin, end),
    },
    end - begin,
  );
}

/**
 * Writes a clickstream dataset into `out` (emptied first): `files` Parquet files
 * `part-00000.parquet`... holding contiguous slices of the rows in arrival order, as a
 * file stream source would receive them. Returns the number of rows written.
 */
export async function writeClickstreamFiles(out: string, files: number, given: Partial<ClickstreamOptions> & { readonly rows: number }): Promise<number> {
  if (!Number.isInteger(files) || files < 1) throw invalidArgument(`files must be a positive integer, got ${files}.`);
  const data = generateClickstream(given);
  const pages = given.pages ?? DEFAULT_CLICKSTREAM_OPTIONS.pages;
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  for (let i = 0; i < files; i++) {
    const begin = Math.floor((i * data.rows) / files);
    const end = Math.floor(((i + 1) * data.rows) / files);
    await writeParquetFile(join(out, `part-${String(i).padStart(5, '0')}.parquet`), clickstreamTable(data, pages, begin, end), 131_072);
  }
  return data.rows;
}

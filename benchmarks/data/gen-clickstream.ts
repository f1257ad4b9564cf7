/**
 * CLI: writes the seeded clickstream (page views) as Parquet files.
 *
 *   node dist/benchmarks/data/gen-clickstream.js --rows 100000 --out data/views [--files 10] [--seed 7]
 *     [--users 2000] [--pages 40] [--hours 6]
 *
 * Rows are page views (event_time, user_id, page) in arrival order; the same options give
 * the same files. See generate-clickstream.ts for the model.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CLICKSTREAM_OPTIONS, writeClickstreamFiles } from './generate-clickstream.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    out: { type: 'string' },
    files: { type: 'string', default: '10' },
    seed: { type: 'string', default: String(DEFAULT_CLICKSTREAM_OPTIONS.seed) },
    users: { type: 'string', default: String(DEFAULT_CLICKSTREAM_OPTIONS.users) },
    pages: { type: 'string', default: String(DEFAULT_CLICKSTREAM_OPTIONS.pages) },
    hours: { type: 'string', default: String(DEFAULT_CLICKSTREAM_OPTIONS.spanMs / 3_600_000) },
  },
  strict: true,
});

if (values.rows === undefined || values.out === undefined) {
  process.stderr.write('usage: gen-clickstream.js --rows N --out DIR [--files K] [--seed S] [--users U] [--pages P] [--hours H]\n');
  process.exit(2);
}
const t0 = performance.now();
try {
  const rows = await writeClickstreamFiles(values.out, Number(values.files), {
    rows: Number(values.rows),
    seed: Number(values.seed),
    users: Number(values.users),
    pages: Number(values.pages),
    spanMs: Number(values.hours) * 3_600_000,
  });
  process.stderr.write(`${rows} page views in ${values.files} files in ${values.out} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
} catch (e) {
  process.stderr.write(`gen-clickstream: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}

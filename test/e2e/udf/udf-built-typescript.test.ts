import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/run-cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('UDFs from a TypeScript module with built Sluice (dist/, as `sluice run job.ts` uses it)', () => {
  it('the driver and the worker threads load the .ts module through tsx and run the UDF', () => {
    const index = join(REPO_ROOT, 'dist/index.js');
    if (!existsSync(index)) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
    const dir = mkdtempSync(join(tmpdir(), 'sluice-udf-ts-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, 'udfs.ts'),
      'import { threadId } from "node:worker_threads";\nexport function twice(x: number | null): number | null {\n  return x === null ? null : x * 2;\n}\nexport function thread(_x: unknown): number {\n  return threadId;\n}\n',
    );
    writeFileSync(
      join(dir, 'run.mjs'),
      `import { Sluice, col, udf } from ${JSON.stringify(pathToFileURL(index).href)};
const s = await Sluice.builder().workers(2).getOrCreate();
const twice = udf({ module: new URL('./udfs.ts', import.meta.url).href, export: 'twice' }, 'double');
const thread = udf({ module: new URL('./udfs.ts', import.meta.url).href, export: 'thread' }, 'int');
const rows = Array.from({ length: 20000 }, (_, i) => ({ x: i }));
const out = await s.createDataFrame(rows).select(twice(col('x').cast('double')).alias('y'), thread('x').alias('t')).toArray();
console.log(JSON.stringify({ n: out.length, sum: out.reduce((a, r) => a + r.y, 0), inWorkers: out.every((r) => r.t > 0) }));
await s.stop();
`,
    );
    const r = spawnSync(process.execPath, [join(dir, 'run.mjs')], { cwd: dir, encoding: 'utf8', timeout: 90_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ n: 20000, sum: 2 * ((19999 * 20000) / 2), inWorkers: true });
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../../common/errors.js';
import { loadJob } from '../../../jobs/load-job.js';
import { importTypeScript } from '../../../jobs/load-typescript.js';

const ROOT = resolve(__dirname, '../../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-load-job-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function errorOf(p: Promise<unknown>): Promise<SluiceError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SluiceError);
  return e as SluiceError;
}

describe('loading a job file', () => {
  it('a missing job file is FILE_NOT_FOUND naming the path and how to give a built job', async () => {
    const e = await errorOf(loadJob(join(dir, 'no-such-job.js')));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain(`Job file '${join(dir, 'no-such-job.js')}' does not exist`);
    expect(e.message).toContain('dist/jobs/examples/spend-by-user.js');
    expect(e.message).not.toContain('Cannot find module');
  });

  it('a TypeScript job file loads through tsx (Node.js 20 has no type stripping)', async () => {
    const job = join(dir, 'typed-job.ts');
    writeFileSync(
      job,
      `import { defineJob } from '${join(ROOT, 'dist/index.js')}';\ninterface Named { readonly name: string }\nconst n: Named = { name: 'typed' };\n` +
        "export default defineJob({ name: n.name, description: 'd', inputs: { a: { format: 'csv', schema: 'x BIGINT' } }, transform: (i) => i.a as never, outputMode: 'append', sink: { format: 'console' } });\n",
    );
    expect((await loadJob(job)).name).toBe('typed');
  });

  it('a .ts job in a CommonJS package fails in the CLI saying to make it an ES module', () => {
    mkdirSync(join(dir, 'cjs'));
    writeFileSync(join(dir, 'cjs', 'package.json'), '{}\n');
    const job = join(dir, 'cjs', 'job.ts');
    writeFileSync(job, `import { defineJob } from '${join(ROOT, 'dist/index.js')}';\nexport default defineJob as unknown;\n`);
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/jobs/cli.js'), 'run', job], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`[INVALID_ARGUMENT] Job file '${job}' was loaded as CommonJS`);
    expect(r.stderr).toContain('"type": "module"');
  });

  it('without tsx and without type stripping, a .ts job is INVALID_ARGUMENT saying how to get a loader', async () => {
    const e = await errorOf(importTypeScript(join(dir, 'typed-job.ts'), 'typed-job.ts', { resolveTsx: () => null, nativeTypeStripping: () => false }));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain("Job file 'typed-job.ts' is TypeScript and no TypeScript loader was found");
    expect(e.message).toContain('npm install --save-dev tsx');
  });

  it('a folder, a module that fails to import and one without a job are INVALID_ARGUMENT', async () => {
    mkdirSync(join(dir, 'folder.js'));
    expect((await errorOf(loadJob(join(dir, 'folder.js')))).message).toContain('is a folder');
    writeFileSync(join(dir, 'broken.mjs'), "import 'no-such-package-anywhere';\nexport default 1;\n");
    const broken = await errorOf(loadJob(join(dir, 'broken.mjs')));
    expect(broken.code).toBe('INVALID_ARGUMENT');
    expect(broken.message).toContain(`Cannot load job file '${join(dir, 'broken.mjs')}'`);
    expect(broken.message).toContain('no-such-package-anywhere');
    writeFileSync(join(dir, 'nojob.mjs'), 'export default { name: 1 };\n');
    expect((await errorOf(loadJob(join(dir, 'nojob.mjs')))).message).toContain('has no job');
  });

  it('the CLI prints the code and the fix for a missing job file and exits 1', () => {
    const cli = join(ROOT, 'dist/jobs/cli.js');
    if (!existsSync(cli)) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
    const r = spawnSync(process.execPath, [cli, 'run', 'jobs/no-such-job.js', '--input', dir, '--output', join(dir, 'out')], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[FILE_NOT_FOUND]');
    expect(r.stderr).toContain(`Job file 'jobs/no-such-job.js' does not exist (resolved to '${join(dir, 'jobs/no-such-job.js')}')`);
    expect(r.stderr).not.toContain('Cannot find module');
  });
});

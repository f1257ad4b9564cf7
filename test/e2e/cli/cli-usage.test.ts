import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_INSPECT_SPEC } from '../../../jobs/cli/checkpoint-command.js';
import { GENERATE_FLAGS } from '../../../benchmarks/data/generate-cli.js';
import { GEN_SPEC } from '../../../jobs/cli/gen-command.js';
import { REPLAY_SPEC } from '../../../jobs/cli/replay-command.js';
import { RUN_SPEC } from '../../../jobs/cli/run-command.js';
import { REPO_ROOT, runCli } from '../../helpers/run-cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-usage-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noStack = (text: string): void => expect(text).not.toMatch(/\n\s+at /);

describe('sluice --version and --help', () => {
  it('--version and -v print the version of package.json', () => {
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-v']) {
      const r = runCli([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it('sluice --help lists every command with an example', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    for (const name of ['run', 'replay', 'checkpoint inspect', 'gen']) expect(r.stdout).toMatch(new RegExp(`\\n  ${name} +\\S`));
    expect(r.stdout).toContain('Examples:\n  sluice run ');
  });

  for (const spec of [RUN_SPEC, REPLAY_SPEC, CHECKPOINT_INSPECT_SPEC, GEN_SPEC]) {
    it(`sluice ${spec.name} --help shows every flag with its default, and an example`, () => {
      const r = runCli([...spec.name.split(' '), '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: sluice ${spec.name}`);
      for (const f of spec.flags) {
        const line = r.stdout.split('\n').find((l) => l.startsWith(`  --${f.name}`));
        expect(line, `--${f.name}`).toBeDefined();
        if (f.kind !== 'switch') expect(line).toMatch(f.required ? /\(required\)$/ : /\(default: [^)]+\)$/);
      }
      expect(r.stdout).toContain(`Examples:\n  sluice ${spec.name}`);
    });
  }

  it('run --help names the real defaults: batch mode, auto log, one file per gen', () => {
    expect(runCli(['run', '--help']).stdout).toMatch(/--mode batch\|stream\|available-now +.*\(default: batch\)/);
    expect(runCli(['run', '-h']).stdout).toMatch(/--log auto\|text\|json +.*\(default: auto\)/);
    expect(runCli(['gen', '--help']).stdout).toMatch(/--seed <S> +.*\(default: 42\)/);
  });
});

describe('command-line mistakes exit 2 with the fix and no stack trace', () => {
  it('an unknown flag names the closest flag', () => {
    const r = runCli(['run', 'job.js', '--chekpoint', 'ck']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--chekpoint' for 'sluice run'. Did you mean '--checkpoint'?");
    expect(r.stderr).toContain("Run 'sluice run --help' for usage.");
    noStack(r.stderr);
    const g = runCli(['gen', '--row', '10', '--out', join(dir, 'x')]);
    expect(g.status).toBe(2);
    expect(g.stderr).toContain("Did you mean '--rows'?");
    const far = runCli(['run', 'job.js', '--zzzzzzzz', '1']);
    expect(far.stderr).toContain("Unknown option '--zzzzzzzz' for 'sluice run'.");
    expect(far.stderr).not.toContain('needs a value');
  });

  it('a value flag without a value says it needs one, also when another flag follows', () => {
    const last = runCli(['run', 'job.js', '--output']);
    expect(last.status).toBe(2);
    expect(last.stderr).toContain('--output needs a value: --output <folder>.');
    const followed = runCli(['run', 'job.js', '--checkpoint', '--mode', 'stream']);
    expect(followed.stderr).toContain("--checkpoint needs a value: --checkpoint <folder> (got the flag '--mode' instead).");
  });

  it('bad values, unknown commands and a missing job file', () => {
    expect(runCli(['run', 'job.js', '--mode', 'streaming']).stderr).toContain("--mode must be batch, stream, available-now; got 'streaming'.");
    expect(runCli(['run', 'job.js', '--workers', '0']).stderr).toContain("--workers needs a positive integer, got '0'.");
    expect(runCli(['run', 'job.js', '--trigger', 'soon']).stderr).toContain('--trigger:');
    const cmd = runCli(['checkpont', 'inspect', 'x']);
    expect(cmd.status).toBe(2);
    expect(cmd.stderr).toContain("Did you mean 'sluice checkpoint inspect'?");
    const nojob = runCli(['run']);
    expect(nojob.status).toBe(2);
    expect(nojob.stderr).toContain('sluice run needs a job file');
    const verison = runCli(['--verison']);
    expect(verison.stderr).toContain("Did you mean '--version'?");
  });
});

describe('sluice gen', () => {
  it('writes the seeded data set and keeps it on a second run with the same flags', () => {
    const out = join(dir, 'tx');
    const r = runCli(['gen', '--rows', '3000', '--files', '3', '--cards', '50', '--rate', '20', '--seed', '7', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`generated 3000 rows -> ${out} (3 files`);
    const manifest = JSON.parse(readFileSync(join(out, '_manifest.json'), 'utf8')) as {
      rows: number;
      spec: { options: { cards: number; rate: number; seed: number } };
    };
    expect(manifest.rows).toBe(3000);
    expect(readdirSync(out).filter((n) => n.endsWith('.parquet'))).toHaveLength(3);
    const again = runCli(['gen', '--rows', '3000', '--files', '3', '--cards', '50', '--rate', '20', '--seed', '7', '--out', out]);
    expect(again.stderr).toContain('already holds 3000 rows with these parameters');
  });

  it('bad flags exit 2 without a stack trace; a folder with other files is refused (exit 1) and left alone', () => {
    for (const args of [
      ['--rows', 'many', '--out', 'x'],
      ['--rows', '10'],
      ['--rows', '10', '--out', 'x', '--rate', '-3'],
      ['--rows', '10', '--out', 'x', '--seed', '1.5'],
    ]) {
      const r = runCli(['gen', ...args], dir);
      expect(r.status, args.join(' ')).toBe(2);
      noStack(r.stderr);
    }
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    const r = runCli(['gen', '--rows', '10', '--out', busy]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Output folder '${busy}' holds files that are not part of a generated data set (keep.txt)`);
    expect(readFileSync(join(busy, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it("takes the benchmark generator's flags and checks (one definition in benchmarks/data/generate-cli.ts)", () => {
    const help = runCli(['gen', '--help']).stdout;
    for (const f of GENERATE_FLAGS.filter((g) => g.value !== '')) expect(help).toContain(`  --${f.name} <${f.value}>`);
    expect(help).toMatch(/--row-group-rows <N> +Rows per Parquet row group\. \(default: 131072\)/);
    const bench = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/benchmarks/data/generate.js'), '--rowz', '5'], { encoding: 'utf8' });
    expect(bench.status).toBe(2);
    expect(bench.stderr).toContain("Did you mean '--rows'?");
    expect(runCli(['gen', '--rows', 'many', '--out', 'x'], dir).stderr).toContain("flag '--rows' must be a positive integer, got 'many'.");
  });
});

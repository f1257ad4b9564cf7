import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GENERATE_FLAGS, generateHelpText, parseGenerateArgs } from '../../../benchmarks/data/generate-cli.js';

describe('generator flags', () => {
  it('lists every flag with its default in --help', () => {
    const help = generateHelpText();
    for (const f of GENERATE_FLAGS) expect(help).toContain(`--${f.name}`);
    expect(help).toMatch(/--files K\s+.*\(default 1\)/);
    expect(help).toMatch(/--seed S\s+.*\(default 42\)/);
    expect(help).toMatch(/--rows N\s+.*\(required\)/);
    expect(help).toContain('examples:');
    expect(parseGenerateArgs(['--rows', '5', '--help'])).toEqual({ kind: 'help' });
    expect(parseGenerateArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it('parses flags into a dataset request, with defaults and --name=value', () => {
    expect(parseGenerateArgs(['--rows', '1000', '--out', '/tmp/x', '--files=4', '--rate', '50', '--row-group-rows', '100'])).toEqual({
      kind: 'run',
      request: { out: '/tmp/x', rows: 1000, files: 4, seed: 42, rate: 50, rowGroupRows: 100 },
    });
  });

  it('names the closest valid flag for a misspelt one, and rejects bad values and missing flags', () => {
    const typo = parseGenerateArgs(['--row', '10', '--out', 'x']);
    expect(typo).toMatchObject({ kind: 'error' });
    expect(typo.kind === 'error' && typo.message).toContain("unknown flag '--row'. Did you mean '--rows'?");
    const bad = parseGenerateArgs(['--rows', 'ten', '--out', 'x']);
    expect(bad.kind === 'error' && bad.message).toBe("flag '--rows' must be a positive integer, got 'ten'.");
    const missing = parseGenerateArgs(['--rows', '10']);
    expect(missing.kind === 'error' && missing.message).toContain("missing required flag '--out'");
    const noValue = parseGenerateArgs(['--out', 'x', '--rows']);
    expect(noValue.kind === 'error' && noValue.message).toContain("flag '--rows' needs a value");
  });

  it('the built CLI prints help on stdout and one-line errors without a stack trace', () => {
    const help = execFileSync(process.execPath, ['dist/benchmarks/data/generate.js', '--help'], { encoding: 'utf8' });
    expect(help).toContain('--row-group-rows N');
    const bad = spawnSync(process.execPath, ['dist/benchmarks/data/generate.js', '--fils', '3'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      "generate.js: unknown flag '--fils'. Did you mean '--files'? Flags: --rows, --out, --files, --seed, --cards, --merchants, --rate, --row-group-rows, --help.\n",
    );
    expect(bad.stderr).not.toContain('    at ');
  });
});

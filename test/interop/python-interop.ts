import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let python: string | null = null;

/** The interop venv's python (created by scripts/python-env.sh on first use). */
export function interopPython(): string {
  if (python === null) {
    const root = join(import.meta.dirname, '..', '..');
    python = execFileSync('bash', [join(root, 'scripts', 'python-env.sh')], {
      encoding: 'utf8',
      timeout: 600_000,
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  }
  return python;
}

/** Runs a Python script (saved into `dir`) with the interop venv and parses its JSON stdout. */
export function runPython<T>(dir: string, name: string, code: string, args: readonly string[] = []): T {
  const script = join(dir, name);
  writeFileSync(script, code);
  const out = execFileSync(interopPython(), [script, ...args], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as T;
}

import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';

describe('sluice worker and run --redis: command-line mistakes', () => {
  it('worker without --redis, with a non-redis URL or a bad slot count exits 2 naming the fix', () => {
    const none = runCli(['worker']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('needs --redis <url>');
    const http = runCli(['worker', '--redis', 'http://127.0.0.1:6379']);
    expect(http.status).toBe(2);
    expect(http.stderr).toContain("needs a redis:// or rediss:// URL, got 'http://127.0.0.1:6379'");
    const slots = runCli(['worker', '--redis', 'redis://127.0.0.1:6379', '--slots', '0']);
    expect(slots.status).toBe(2);
    expect(slots.stderr).toContain('--slots');
  });

  it('worker --help lists its flags; run --shared-storage needs --redis', () => {
    const help = runCli(['worker', '--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--redis <url>', '--slots <n>', '--queue <name>', '--lock-ms <ms>']) expect(help.stdout).toContain(flag);
    const run = runCli(['run', 'job.js', '--shared-storage', '/tmp/x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--shared-storage only applies with --redis <url>');
  });

  it('a worker that cannot reach Redis exits 1 with CONNECTION_FAILED naming the URL', () => {
    const r = runCli(['worker', '--redis', 'redis://127.0.0.1:1', '--slots', '1'], undefined, 30_000);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[CONNECTION_FAILED]');
    expect(r.stderr).toContain('redis://127.0.0.1:1');
    expect(r.stderr).not.toContain('Unhandled error event');
  });
});

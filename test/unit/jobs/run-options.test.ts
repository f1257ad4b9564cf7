import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from '../../../jobs/cli/cli-flags.js';
import { RUN_SPEC, runOptions } from '../../../jobs/cli/run-command.js';

const parse = (argv: string[]) => runOptions(parseFlags(RUN_SPEC, argv));

describe('sluice run options', () => {
  it('--ui takes a port (0 for a free one) and refuses anything else', () => {
    expect(parse(['job.js', '--ui', '4040']).ui).toBe(4040);
    expect(parse(['job.js', '--ui=0']).ui).toBe(0);
    expect(parse(['job.js']).ui).toBeUndefined();
    for (const bad of ['abc', '-1', '65536', '1.5', '']) {
      expect(() => parse(['job.js', '--ui', bad]), bad).toThrow(UsageError);
      expect(() => parse(['job.js', '--ui', bad]), bad).toThrow(/--ui needs a port from 0 to 65535/);
    }
  });

  it('inputs by name and bare, sink options, defaults', () => {
    const o = parse(['job.js', '--input', 'tx=a/', '--input', 'b/', '--sink-option', 'topic=t', '--sink-option=acks=all', '--trigger', '10 seconds']);
    expect(o).toMatchObject({ jobFile: 'job.js', mode: 'batch', log: 'auto', inputs: { tx: 'a/', '': 'b/' }, sinkOptions: { topic: 't', acks: 'all' } });
    expect(o.trigger).toEqual({ kind: 'processingTime', intervalMs: 10_000 });
    expect(() => parse(['job.js', '--sink-option', 'novalue'])).toThrow("--sink-option needs <key>=<value>, got 'novalue'.");
  });
});

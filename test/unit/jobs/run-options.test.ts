import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from '../../../jobs/cli/cli-flags.js';
import { parseSpeed, REPLAY_SPEC } from '../../../jobs/cli/replay-command.js';
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

describe('sluice replay options', () => {
  const replay = (argv: string[]) => runOptions(parseFlags(REPLAY_SPEC, argv), { spec: REPLAY_SPEC, parseSpeed });

  it('parses --speed (a number or max), --reorder-bound and the usual flags, in replay mode', () => {
    const cmd = replay(['job.js', '--input', 'in/', '--speed', '60', '--reorder-bound', '10 minutes', '--trigger', '5 minutes']);
    expect(cmd).toMatchObject({ jobFile: 'job.js', mode: 'replay', inputs: { '': 'in/' }, speed: 60, reorderBound: '10 minutes' });
    expect(cmd.trigger).toEqual({ kind: 'processingTime', intervalMs: 300_000 });
    expect(replay(['job.js', '--speed', 'max']).speed).toBe('max');
    expect(replay(['job.js']).speed).toBeUndefined();
  });

  it('refuses a bad speed or reorder bound, replay flags on run, and --mode on replay', () => {
    for (const bad of ['0', '-2', 'fast', 'NaN', '']) expect(() => replay(['job.js', '--speed', bad]), bad).toThrow(/--speed needs a positive number/);
    expect(() => replay(['job.js', '--reorder-bound', 'soon'])).toThrow(/--reorder-bound:/);
    expect(() => parse(['job.js', '--speed', '60'])).toThrow("Unknown option '--speed' for 'sluice run'.");
    expect(() => replay(['job.js', '--mode', 'stream'])).toThrow("Unknown option '--mode' for 'sluice replay'.");
  });
});

import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../jobs/parse-cli-args.js';

describe('sluice run --ui', () => {
  it('takes a port (0 for a free one) and refuses anything else', () => {
    expect(parseCliArgs(['run', 'job.js', '--ui', '4040']).ui).toBe(4040);
    expect(parseCliArgs(['run', 'job.js', '--ui', '0']).ui).toBe(0);
    expect(parseCliArgs(['run', 'job.js']).ui).toBeUndefined();
    for (const bad of ['abc', '-1', '65536', '1.5', ''])
      expect(() => parseCliArgs(['run', 'job.js', '--ui', bad]), bad).toThrow(/--ui needs a port from 0 to 65535/);
  });
});

describe('sluice replay', () => {
  it('parses --speed (a number or max), --reorder-bound and the usual flags, in replay mode', () => {
    const cmd = parseCliArgs(['replay', 'job.js', '--input', 'in/', '--speed', '60', '--reorder-bound', '10 minutes', '--trigger', '5 minutes']);
    expect(cmd).toMatchObject({ jobFile: 'job.js', mode: 'replay', inputs: { '': 'in/' }, speed: 60, reorderBound: '10 minutes' });
    expect(cmd.trigger).toEqual({ kind: 'processingTime', intervalMs: 300_000 });
    expect(parseCliArgs(['replay', 'job.js', '--speed', 'max']).speed).toBe('max');
    expect(parseCliArgs(['replay', 'job.js']).speed).toBeUndefined();
  });

  it('refuses a bad speed, replay flags on run, and --mode on replay', () => {
    for (const bad of ['0', '-2', 'fast', 'NaN'])
      expect(() => parseCliArgs(['replay', 'job.js', '--speed', bad]), bad).toThrow(/--speed needs a positive number/);
    expect(() => parseCliArgs(['run', 'job.js', '--speed', '60'])).toThrow(/--speed is an option of sluice replay/);
    expect(() => parseCliArgs(['replay', 'job.js', '--reorder-bound', 'soon'])).toThrow();
    expect(() => parseCliArgs(['replay', 'job.js', '--mode', 'stream'])).toThrow(/sluice replay has no --mode/);
  });
});

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

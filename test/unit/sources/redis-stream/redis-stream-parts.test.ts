import { describe, expect, it } from 'vitest';
import { redisStreamOptions } from '../../../../sources/redis-stream/redis-stream-options.js';
import { compareIds, userStreamId } from '../../../../sources/redis-stream/stream-id.js';
import { lostEntries } from '../../../../sources/redis-stream/stream-reads.js';

describe('stream ids', () => {
  it('order by milliseconds, then sequence, beyond 2^53', () => {
    expect(compareIds('2-0', '10-0')).toBeLessThan(0);
    expect(compareIds('5-10', '5-9')).toBeGreaterThan(0);
    expect(compareIds('18446744073709551615-1', '18446744073709551615-0')).toBeGreaterThan(0);
    expect(compareIds('3-3', '3-3')).toBe(0);
  });

  it('accept a bare millisecond value and refuse garbage', () => {
    expect(userStreamId('1700000000000', 'x')).toBe('1700000000000-0');
    expect(() => userStreamId('12-ab', 'Position')).toThrow(/Position must be a stream entry id/);
  });
});

describe('lost entries', () => {
  const info = (firstEntry: string | null, maxDeleted = '0-0') => ({ exists: true, firstEntry, maxDeleted });
  it('reports a deleted stream, a range trimmed away and, on a replay, an XDEL inside the range', () => {
    expect(lostEntries({ exists: false, firstEntry: null, maxDeleted: '0-0' }, '1-0', '5-0', false)).toMatch(/no longer exists/);
    expect(lostEntries(info('9-0'), '1-0', '5-0', false)).toMatch(/oldest entry is now 9-0.*trimmed/);
    expect(lostEntries(info(null), '1-0', '5-0', false)).toMatch(/stream is empty/);
    expect(lostEntries(info('1-0', '3-0'), '1-0', '5-0', true)).toMatch(/entry 3-0 in the range was deleted/);
  });

  it('does not report deletions outside the range, nor an XDEL before a first read', () => {
    expect(lostEntries(info('2-0', '1-0'), '1-0', '5-0', true)).toBeNull();
    expect(lostEntries(info('2-0', '7-0'), '1-0', '5-0', true)).toBeNull();
    expect(lostEntries(info('1-0', '3-0'), '1-0', '5-0', false)).toBeNull();
  });
});

describe('redis-stream options', () => {
  it('resolves per-stream positions and checks them against the streams', () => {
    const o = redisStreamOptions({ url: 'redis://h:1', streams: 'a, b', startingOffsets: '{"a":"latest","b":"5"}' });
    expect(o.streams).toEqual(['a', 'b']);
    expect(o.starting).toEqual({ a: 'latest', b: '5-0' });
    expect(o.ending).toEqual({ a: 'latest', b: 'latest' });
    expect(() => redisStreamOptions({ url: 'redis://h:1', streams: 'a', startingOffsets: '{"a":"0-0","c":"0-0"}' })).toThrow(/names stream 'c'/);
    expect(() => redisStreamOptions({ url: 'redis://h:1', streams: 'a,a' })).toThrow(/names a stream twice/);
    expect(() => redisStreamOptions({ url: 'redis://h:1' })).toThrow(/needs option 'streams'/);
    expect(() => redisStreamOptions({ url: 'redis://h:1', streams: 'a', failOnDataLoss: 'maybe' })).toThrow(/true or false/);
  });
});

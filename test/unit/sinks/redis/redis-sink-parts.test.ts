import { describe, expect, it } from 'vitest';
import { isCommitted, markerValue, parseMarker } from '../../../../sinks/redis/redis-batch-marker.js';
import { parseKeyTemplate } from '../../../../sinks/redis/redis-key-template.js';
import { redisSinkOptions } from '../../../../sinks/redis/redis-sink-options.js';

describe('redis sink key templates', () => {
  it('splits literals and column references; doubled braces are literal', () => {
    expect(parseKeyTemplate('user:{user_id}')).toEqual({ literals: ['user:', ''], columns: ['user_id'] });
    expect(parseKeyTemplate('{a}-{b}')).toEqual({ literals: ['', '-', ''], columns: ['a', 'b'] });
    expect(parseKeyTemplate('{{user:{id}}}')).toEqual({ literals: ['{user:', '}'], columns: ['id'] });
    expect(parseKeyTemplate('events')).toEqual({ literals: ['events'], columns: [] });
  });

  it('names the position of a bad brace', () => {
    expect(() => parseKeyTemplate('user:{id')).toThrow(/unclosed or empty '\{' at position 5/);
    expect(() => parseKeyTemplate('user:{}')).toThrow(/unclosed or empty/);
    expect(() => parseKeyTemplate('user}')).toThrow(/'\}' without '\{' at position 4/);
  });
});

describe('redis sink batch marker', () => {
  it('round-trips complete and partial markers', () => {
    expect(parseMarker('m', markerValue(7, 3, true))).toEqual({ batchId: 7, done: true, chunk: -1 });
    expect(parseMarker('m', markerValue(7, 3, false))).toEqual({ batchId: 7, done: false, chunk: 3 });
    expect(parseMarker('m', null)).toEqual({ batchId: -1, done: true, chunk: -1 });
  });

  it('treats a batch as committed only when it or a later one is complete', () => {
    expect(isCommitted(parseMarker('m', '7'), 7)).toBe(true);
    expect(isCommitted(parseMarker('m', '8:0'), 7)).toBe(true);
    expect(isCommitted(parseMarker('m', '7:4'), 7)).toBe(false);
    expect(isCommitted(parseMarker('m', '6'), 7)).toBe(false);
    expect(isCommitted(parseMarker('m', null), 0)).toBe(false);
  });

  it('refuses a marker key that holds something else', () => {
    expect(() => parseMarker('sluice:sink:q', 'hello')).toThrow(/marker key 'sluice:sink:q' holds 'hello'.*option 'markerKey'/);
  });
});

describe('redis sink options', () => {
  it('applies defaults and suggests the closest option', () => {
    const o = redisSinkOptions({ url: 'redis://h:1', key: 'k:{id}' });
    expect([o.type, o.rowsPerTransaction, o.retryMillis, o.ttl, o.valueColumn]).toEqual(['hash', 10_000, 10_000, null, 'value']);
    expect(() => redisSinkOptions({ url: 'redis://h:1', key: 'k', keyColum: 'x' })).toThrow(/Unknown option 'keyColum'.*Did you mean 'keyColumn'/);
    expect(() => redisSinkOptions({ url: 'redis://h:1', key: 'k', ttl: 0 })).toThrow(/'ttl' of the redis sink must be a positive integer/);
    expect(() => redisSinkOptions({ url: 'redis://h:1', key: 'k', keyColumn: 'c' })).toThrow(/exactly one of option 'key'/);
  });
});

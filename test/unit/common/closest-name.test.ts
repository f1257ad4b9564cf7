import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../../common/closest-name.js';
import { checkKnownOptions } from '../../../common/known-options.js';

describe('closestName', () => {
  it('measures edit distance', () => {
    expect(editDistance('subscribe', 'subscribe')).toBe(0);
    expect(editDistance('subscrbe', 'subscribe')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the closest candidate case-insensitively and nothing for far names', () => {
    const names = ['subscribe', 'subscribePattern', 'startingOffsets', 'maxOffsetsPerTrigger'];
    expect(closestName('subscrib', names)).toBe('subscribe');
    expect(closestName('startingoffset', names)).toBe('startingOffsets');
    expect(closestName('maxOffsetPerTrigger', names)).toBe('maxOffsetsPerTrigger');
    expect(closestName('zzz', names)).toBeUndefined();
  });

  it('names the closest accepted option in an unknown-option error and passes prefixed keys', () => {
    expect(() => checkKnownOptions({ startingOfsets: 'earliest' }, ['startingOffsets', 'subscribe'], 'Kafka source')).toThrow(
      /Unknown option 'startingOfsets' for the Kafka source\. Did you mean 'startingOffsets'\?/,
    );
    expect(() => checkKnownOptions({ 'kafka.bootstrap.servers': 'x', subscribe: 't' }, ['subscribe'], 'Kafka source', ['kafka.'])).not.toThrow();
  });
});

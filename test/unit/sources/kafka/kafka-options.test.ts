import { describe, expect, it } from 'vitest';
import { rateLimit } from '../../../../sources/kafka/kafka-offsets.js';
import { kafkaSourceOptions } from '../../../../sources/kafka/kafka-options.js';

const base = { 'kafka.bootstrap.servers': 'localhost:9092', subscribe: 't' };

describe('kafka source options', () => {
  it('names the closest valid option for a misspelled one', () => {
    expect(() => kafkaSourceOptions({ ...base, startingOffset: 'earliest' }, 'stream')).toThrow(
      /Unknown option 'startingOffset'.*Did you mean 'startingOffsets'/,
    );
    expect(() => kafkaSourceOptions({ ...base, maxOffsetPerTrigger: 5 }, 'stream')).toThrow(/maxOffsetsPerTrigger/);
  });

  it('keeps batch-only and stream-only options apart', () => {
    expect(() => kafkaSourceOptions({ ...base, endingOffsets: 'latest' }, 'stream')).toThrow(/Unknown option 'endingOffsets'/);
    expect(() => kafkaSourceOptions({ ...base, maxOffsetsPerTrigger: 5 }, 'batch')).toThrow(/Unknown option 'maxOffsetsPerTrigger'/);
    expect(() => kafkaSourceOptions({ ...base, startingOffsets: 'latest' }, 'batch')).toThrow(/not valid for a batch read/);
  });

  it('needs the brokers and exactly one subscription', () => {
    expect(() => kafkaSourceOptions({ subscribe: 't' }, 'stream')).toThrow(/kafka.bootstrap.servers/);
    expect(() => kafkaSourceOptions({ 'kafka.bootstrap.servers': 'h:1' }, 'stream')).toThrow(/exactly one of 'subscribe'/);
    expect(() => kafkaSourceOptions({ ...base, assign: '{"t":[0]}' }, 'stream')).toThrow(/got subscribe and assign/);
    expect(() => kafkaSourceOptions({ 'kafka.bootstrap.servers': 'h:1', assign: '[0]' }, 'stream')).toThrow(/must be JSON like/);
  });

  it('parses Spark offsets JSON, timestamps, flags and kafka.* settings', () => {
    const o = kafkaSourceOptions(
      {
        ...base,
        startingOffsets: '{"t":{"0":23,"1":-2}}',
        failOnDataLoss: 'false',
        includeHeaders: true,
        'kafka.isolation.level': 'read_committed',
        'kafka.client.id': 'me',
        maxTriggerDelay: '30s',
        minOffsetsPerTrigger: 10,
      },
      'stream',
    );
    expect(o.starting).toEqual({ kind: 'offsets', offsets: { t: { '0': 23, '1': -2 } } });
    expect(o.failOnDataLoss).toBe(false);
    expect(o.includeHeaders).toBe(true);
    expect(o.client.isolationLevel).toBe(1);
    expect(o.client.clientId).toBe('me');
    expect(o.maxTriggerDelayMs).toBe(30_000);
    expect(kafkaSourceOptions({ ...base, startingTimestamp: '1700000000000' }, 'stream').starting).toEqual({ kind: 'timestamp', timestampMs: 1700000000000 });
    expect(() => kafkaSourceOptions({ ...base, startingOffsets: '{"t":{"0":-3}}' }, 'stream')).toThrow(/startingOffsets/);
    expect(() => kafkaSourceOptions({ ...base, 'kafka.auto.offset.reset': 'earliest' }, 'stream')).toThrow(/startingOffsets instead/);
    expect(() => kafkaSourceOptions({ ...base, commitOffsetsToGroup: true }, 'stream')).toThrow(/kafka.group.id/);
    expect(kafkaSourceOptions({ ...base, commitOffsetsToGroup: true, 'kafka.group.id': 'g' }, 'stream').commitGroup).toBe('g');
  });
});

describe('rateLimit (maxOffsetsPerTrigger split by backlog)', () => {
  it('splits in proportion to each partition backlog, rounding small shares up', () => {
    const from = { t: { '0': 0, '1': 0, '2': 0 } };
    const until = { t: { '0': 30, '1': 10, '2': 20 } };
    expect(rateLimit(12, from, until, () => 0)).toEqual({ t: { '0': 6, '1': 2, '2': 4 } });
    // 0.1 of an offset still moves a partition by one.
    expect(rateLimit(10, { t: { '0': 0, '1': 0 } }, { t: { '0': 99, '1': 1 } }, () => 0)).toEqual({ t: { '0': 9, '1': 1 } });
    expect(rateLimit(100, from, until, () => 0)).toEqual(until);
  });

  it('starts partitions missing from the start offsets at their default', () => {
    expect(rateLimit(4, { t: { '0': 10 } }, { t: { '0': 14, '1': 4 } }, () => 0)).toEqual({ t: { '0': 12, '1': 2 } });
  });
});

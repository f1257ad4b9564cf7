import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { camelCase, mappingMarkdown, mappingRows } from './spark-mapping.js';

const API = new URL('./pyspark-api-4.2.0.json', import.meta.url);
const DOC = new URL('../../docs/SPARK-MAPPING.md', import.meta.url);

describe('docs/SPARK-MAPPING.md', () => {
  it('camelCases Spark SQL names the way the function library names them', () => {
    expect(camelCase('regexp_replace')).toBe('regexpReplace');
    expect(camelCase('percentile_approx')).toBe('percentileApprox');
    expect(camelCase('asc_nulls_first')).toBe('ascNullsFirst');
    expect(camelCase('log1p')).toBe('log1p');
  });

  it('finds functions and methods the package exports and lists missing ones as not yet', () => {
    const rows = mappingRows(API);
    const find = (section: string, spark: string) => rows.find((r) => r.section === section && r.spark === spark);
    expect(find('functions', 'unix_millis')).toMatchObject({ status: 'same', sluice: '`unixMillis`' });
    expect(find('functions', 'stddev_samp')).toMatchObject({ status: 'renamed', sluice: '`stddev`' });
    expect(find('DataFrame', 'withWatermark')?.status).toBe('same');
    expect(find('DataFrame', 'toPandas')?.status).toBe('n/a');
    expect(find('Column', 'astype')?.status).toBe('renamed');
    expect(rows.filter((r) => r.section === 'functions').length).toBeGreaterThan(500);
  });

  it('is up to date with the package (regenerate with UPDATE_SPARK_MAPPING=1)', () => {
    const want = mappingMarkdown(API);
    if (process.env.UPDATE_SPARK_MAPPING === '1') writeFileSync(DOC, want);
    const have = readFileSync(DOC, 'utf8');
    expect(have, 'docs/SPARK-MAPPING.md is out of date: run UPDATE_SPARK_MAPPING=1 npx vitest run test/docs/spark-mapping.test.ts').toBe(want);
  });
});

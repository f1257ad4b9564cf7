import type { ScanOptions } from '../../common/connector-options.js';
import { typeName } from '../../common/data-type.js';
import { invalidArgument, unknownColumnError } from '../../common/errors.js';
import { integerOption } from '../../common/integer-option.js';
import { checkKnownOptions } from '../../common/known-options.js';
import type { Schema } from '../../common/schema.js';
import { isWritableScalar } from './redis-column-text.js';
import type { KeyTemplate } from './redis-key-template.js';
import { parseKeyTemplate } from './redis-key-template.js';

const OWNER = 'redis sink';

/** How rows become Redis data: one command per row. */
export type RedisDataType = 'string' | 'hash' | 'zset' | 'stream';

const TYPES: readonly RedisDataType[] = ['string', 'hash', 'zset', 'stream'];

/** Every option the redis sink accepts. */
export const REDIS_SINK_OPTIONS: readonly string[] = [
  'url',
  'type',
  'key',
  'keyColumn',
  'valueColumn',
  'scoreColumn',
  'memberColumn',
  'ttl',
  'markerKey',
  'rowsPerTransaction',
  'retryMillis',
  'checkpointLocation',
];

/** Validated options of the redis sink. */
export interface RedisSinkOptions {
  /** The server, `redis://host:port[/db]`. */
  readonly url: string;
  /** string (SET), hash (HSET), zset (ZADD) or stream (XADD); default hash. */
  readonly type: RedisDataType;
  /** The key: a template over columns, or `{keyColumn}` when keyColumn was given. */
  readonly key: KeyTemplate;
  /** The column holding the whole key, or null when `key` is a template. */
  readonly keyColumn: string | null;
  /** string: the column whose text is the value (default `value`). */
  readonly valueColumn: string;
  /** zset: the score column (numeric; default `score`). */
  readonly scoreColumn: string;
  /** zset: the member column (default `member`). */
  readonly memberColumn: string;
  /** Seconds to live set on every written key, or null to keep keys without expiry. */
  readonly ttl: number | null;
  /** The key recording the last committed batch; null means `sluice:sink:<queryName>`. */
  readonly markerKey: string | null;
  /** Rows per MULTI/EXEC transaction (default 10000). */
  readonly rowsPerTransaction: number;
  /** How long a write rides through an unreachable server, ms (default 10000). */
  readonly retryMillis: number;
}

/** Parses and validates the redis sink's options; INVALID_ARGUMENT names the bad option and the closest valid key. */
export function redisSinkOptions(options: ScanOptions): RedisSinkOptions {
  checkKnownOptions(options, REDIS_SINK_OPTIONS, OWNER);
  const url = options.url;
  if (typeof url !== 'string' || url === '') throw invalidArgument(`The ${OWNER} needs option 'url', e.g. .option('url', 'redis://127.0.0.1:6379').`);
  if (!/^rediss?:\/\//.test(url)) throw invalidArgument(`Option 'url' of the ${OWNER} must start with redis:// or rediss://, got '${url}'.`);
  const type = String(options.type ?? 'hash').toLowerCase() as RedisDataType;
  if (!TYPES.includes(type)) throw invalidArgument(`Option 'type' of the ${OWNER} must be one of ${TYPES.join(', ')}, got '${String(options.type)}'.`);
  const template = options.key === undefined ? null : String(options.key);
  const keyColumn = options.keyColumn === undefined ? null : String(options.keyColumn);
  if ((template === null) === (keyColumn === null))
    throw invalidArgument(
      `The ${OWNER} needs exactly one of option 'key' (a template such as 'user:{user_id}', or a fixed key like 'events') and option 'keyColumn' (a column holding the key).`,
    );
  const key = keyColumn !== null ? { literals: ['', ''], columns: [keyColumn] } : parseKeyTemplate(template as string);
  const ttl = options.ttl === undefined ? null : integerOption(options, 'ttl', { min: 1, owner: OWNER });
  return {
    url,
    type,
    key,
    keyColumn,
    valueColumn: String(options.valueColumn ?? 'value'),
    scoreColumn: String(options.scoreColumn ?? 'score'),
    memberColumn: String(options.memberColumn ?? 'member'),
    ttl,
    markerKey: options.markerKey === undefined ? null : String(options.markerKey),
    rowsPerTransaction: integerOption(options, 'rowsPerTransaction', { min: 1, fallback: 10_000, owner: OWNER }),
    retryMillis: integerOption(options, 'retryMillis', { min: 0, fallback: 10_000, owner: OWNER }),
  };
}

/** Which columns a write reads, by index in the data's schema. */
export interface RedisSinkColumns {
  /** Columns of the key template, in template order. */
  readonly key: readonly number[];
  /** string: the value column; zset: score then member; hash/stream: the field columns. */
  readonly values: readonly number[];
  /** Field names of hash/stream writes (the column names), parallel to `values`. */
  readonly fieldNames: readonly string[];
}

function indexOf(schema: Schema, name: string, role: string): number {
  const i = schema.fields.findIndex((f) => f.name === name);
  if (i < 0) {
    const e = unknownColumnError(
      name,
      schema.fields.map((f) => f.name),
    );
    throw invalidArgument(`The ${OWNER}'s ${role} names a column that does not exist. ${e.message}`);
  }
  const t = schema.fields[i]!.type;
  if (!isWritableScalar(t))
    throw invalidArgument(
      `The ${OWNER} writes column '${name}' (${role}) as text, but it is a ${typeName(t)}. Select its parts as columns, or drop it, before writing.`,
    );
  return i;
}

/**
 * Resolves the options' columns in the data's schema, checking that they exist and have
 * types the sink writes (scalars; a numeric score). Called when the query starts (the
 * sink factory receives the result schema) and again on every batch.
 */
export function redisSinkColumns(opts: RedisSinkOptions, schema: Schema): RedisSinkColumns {
  const key = opts.key.columns.map((c) => {
    const role = opts.keyColumn === null ? `key template '{${c}}'` : "option 'keyColumn'";
    const i = indexOf(schema, c, role);
    if (schema.fields[i]!.type.kind === 'binary')
      throw invalidArgument(`The ${OWNER}'s ${role} names binary column '${c}'; keys are text: cast it to string first.`);
    return i;
  });
  if (opts.type === 'string') return { key, values: [indexOf(schema, opts.valueColumn, "option 'valueColumn'")], fieldNames: [] };
  if (opts.type === 'zset') {
    const score = indexOf(schema, opts.scoreColumn, "option 'scoreColumn'");
    const st = schema.fields[score]!.type.kind;
    if (st !== 'int32' && st !== 'int64' && st !== 'float64')
      throw invalidArgument(`The ${OWNER}'s scoreColumn '${opts.scoreColumn}' must be numeric (int, bigint or double), but it is ${st}. Cast it first.`);
    return { key, values: [score, indexOf(schema, opts.memberColumn, "option 'memberColumn'")], fieldNames: [] };
  }
  const values: number[] = [];
  const fieldNames: string[] = [];
  schema.fields.forEach((f) => {
    if (f.name === opts.keyColumn) return;
    values.push(indexOf(schema, f.name, 'field'));
    fieldNames.push(f.name);
  });
  if (values.length === 0)
    throw invalidArgument(`The ${OWNER} writes ${opts.type} fields from the columns other than the key column, but there are none. Select some columns.`);
  return { key, values, fieldNames };
}

import { invalidArgument } from '../../common/errors.js';
import type { ExchangeOptions } from '../planner/plan-exchange.js';
import type { RuntimeConf } from './session-conf.js';

/** Shuffle partitions per worker when `sluice.sql.shuffle.partitions` is not set. */
export const DEFAULT_SHUFFLE_PARTITIONS_PER_WORKER = 4;

/**
 * The exchange settings of a session: `sluice.sql.shuffle.partitions` (Spark's name; the
 * partition count of every exchange, default 4 per worker thread: 8 on a 2-core machine)
 * and `sluice.sql.shuffle.minInputBytes` (inputs estimated smaller finish on the driver
 * in one piece, without an exchange; 0 shuffles every input). Bad values are a clear error
 * naming the key.
 */
export function exchangeOptions(conf: RuntimeConf, poolSize: number): ExchangeOptions {
  const set = conf.get('sluice.sql.shuffle.partitions');
  const shufflePartitions =
    set === undefined ? Math.max(1, poolSize) * DEFAULT_SHUFFLE_PARTITIONS_PER_WORKER : conf.getPositiveInt('sluice.sql.shuffle.partitions');
  const rawMin = conf.get('sluice.sql.shuffle.minInputBytes');
  const shuffleMinInputBytes = Number(rawMin);
  if (!Number.isInteger(shuffleMinInputBytes) || shuffleMinInputBytes < 0) {
    throw invalidArgument(`Config 'sluice.sql.shuffle.minInputBytes' must be a whole number of bytes >= 0, got '${rawMin}'.`);
  }
  return { shufflePartitions, shuffleMinInputBytes };
}

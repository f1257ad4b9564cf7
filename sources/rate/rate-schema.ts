import { types } from '../../common/data-type.js';
import type { Schema } from '../../common/schema.js';
import { field, schemaOf } from '../../common/schema.js';

/**
 * The schema of the rate and rate-micro-batch sources, as Spark's: `timestamp` (microsecond
 * timestamp, UTC) and `value` (bigint counting rows from 0). Neither column is ever null.
 */
export const RATE_SCHEMA: Schema = schemaOf([field('timestamp', types.timestamp('us', 'UTC'), false), field('value', types.int64, false)]);

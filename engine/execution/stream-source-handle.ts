import type { Schema } from '../../common/schema.js';
import type { ReadLimit, Source } from '../../sources/source.js';

/**
 * A source that can fix its end when an AvailableNow query starts (Spark's
 * SupportsTriggerAvailableNow): after `prepareForTriggerAvailableNow()`, `latestOffset`
 * never goes past the data available at that moment. Sources without it are read until
 * they report no new data.
 */
export type AvailableNowCapable = Source & { prepareForTriggerAvailableNow?(): Promise<void> };

/** One source of a running query: the created {@link Source} plus what the query knows about it. */
export interface StreamSourceHandle {
  readonly sourceId: string;
  readonly description: string;
  readonly schema: Schema;
  readonly readLimit: ReadLimit;
  readonly source: AvailableNowCapable;
  /** The query must not stop a source the user owns. */
  readonly ownedByUser: boolean;
}

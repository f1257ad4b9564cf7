import type { ColumnarBatch } from '../../../common/column-vector.js';
import type { PlainError } from '../../../common/errors.js';
import type { Schema } from '../../../common/schema.js';
import type { DedupStateSpec } from './dedup-state-core.js';
import type { PaneStateSpec } from './pane-state-core.js';
import type { SessionStateSpec } from './session-state-core.js';
import type { AggStateSpec } from './state-executor-ops.js';
import type { PartitionedStateMetrics } from './partitioned-state.js';

/** How an executor runs an operator's partitions: the operator kind and its plain-data spec. */
export type ExecutorStateSpec = AggStateSpec | SessionStateSpec | DedupStateSpec | PaneStateSpec;

/** Registers a stateful operator's state with an executor: the partitions it owns and how to open them. */
export interface InitRequest {
  readonly kind: 'init';
  readonly operatorId: number;
  /** Checkpoint root (state files live under `<root>/state/<operatorId>/<partition>/`). */
  readonly checkpointRoot: string;
  /** The state partitions this executor owns for the operator. */
  readonly partitions: readonly number[];
  readonly keySchema: Schema;
  readonly valueSchema: Schema;
  readonly snapshotInterval: number;
  readonly minVersionsToRetain: number;
  readonly spec: ExecutorStateSpec;
}

/** Loads `version` of the owned partitions once (fails early on damaged state) and learns their event-time deadline. */
export interface VerifyRequest {
  readonly kind: 'verify';
  readonly operatorId: number;
  readonly version: number;
}

/** One partition's partial rows of a batch (a key may appear once per worker task; the executor combines them in order). */
export interface PartitionRows {
  readonly partition: number;
  readonly rows: ColumnarBatch;
}

/**
 * Batch `version` of an operator: open every owned partition at `version`, merge the rows
 * (aggregation: partial rows; session windows: partial sessions; deduplication: on-time
 * input rows), evict at `evictWatermarkMs` (null: no eviction) and return what the output
 * mode needs (deduplication: the first rows of new keys, whatever `emit` says).
 * The stores stay open until commit or abort.
 */
export interface BatchRequest {
  readonly kind: 'batch';
  readonly operatorId: number;
  readonly version: number;
  readonly rows: readonly PartitionRows[];
  readonly evictWatermarkMs: number | null;
  /** 'changed': the merged rows; 'evicted': the evicted rows; 'all': every stored group. */
  readonly emit: 'changed' | 'evicted' | 'all';
  readonly batchSize: number;
  /** Pane-kept sliding windows: the late-events watermark (windows ending at or before it were emitted already). */
  readonly lateWatermarkMs?: number;
}

/** Commits (as the next version) or aborts the open stores of an operator. */
export interface EndRequest {
  readonly kind: 'commit' | 'abort';
  readonly operatorId: number;
}

/** Waits for background snapshots and releases every store; the thread is terminated afterwards. */
export interface CloseRequest {
  readonly kind: 'close';
}

/** A message to a state executor. */
export type ExecutorRequest = InitRequest | VerifyRequest | BatchRequest | EndRequest | CloseRequest;

/** A request with its correlation id. */
export interface ExecutorEnvelope {
  readonly id: number;
  readonly request: ExecutorRequest;
}

/** What a batch returns per owned partition (in partition order). */
export interface PartitionOutput {
  readonly partition: number;
  readonly rows: readonly ColumnarBatch[];
}

/** Reply to a {@link BatchRequest}. */
export interface BatchReply {
  readonly outputs: readonly PartitionOutput[];
  /** The smallest event time left in the owned partitions after the batch (null: none). */
  readonly deadline: number | null;
}

/** Reply to a {@link VerifyRequest}. */
export interface VerifyReply {
  readonly deadline: number | null;
}

/** What an executor answers: the request's id and a value or an error. */
export type ExecutorReply =
  | { readonly id: number; readonly ok: true; readonly value: BatchReply | VerifyReply | PartitionedStateMetrics | null }
  | { readonly id: number; readonly ok: false; readonly error: PlainError };

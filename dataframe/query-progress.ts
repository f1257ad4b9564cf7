/** Durations of the phases of one trigger (ms), Spark's `durationMs` keys. */
export interface BatchDurations {
  latestOffset: number;
  walCommit: number;
  getBatch: number;
  queryPlanning: number;
  addBatch: number;
  commitOffsets: number;
  triggerExecution: number;
}

/** Progress of one source in one batch. Offsets are the sources' JSON offsets, or null. */
export interface SourceProgress {
  readonly description: string;
  readonly startOffset: string | null;
  readonly endOffset: string | null;
  /** The newest offset the source reported (equals `endOffset` when no read limit cut the batch). */
  readonly latestOffset: string | null;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  /** Source-specific metrics (e.g. a replay's `rowsBeyondReorderBound`); absent when the source reports none. */
  readonly metrics?: Readonly<Record<string, string>>;
}

/** Progress of the sink in one batch. */
export interface SinkProgress {
  readonly description: string;
  /** Rows handed to the sink; -1 when unknown (a stateless result streamed straight into the sink). */
  readonly numOutputRows: number;
}

/** Progress of one stateful operator in one batch, summed over its state partitions. */
export interface StateOperatorProgress {
  readonly operatorName: string;
  readonly numRowsTotal: number;
  readonly numRowsUpdated: number;
  readonly numRowsRemoved: number;
  readonly commitTimeMs: number;
  readonly memoryUsedBytes: number;
  /** Input rows dropped as late (at or before the watermark) in the batch; for windowed aggregations a row counts once per window it was dropped from. */
  readonly numRowsDroppedByWatermark: number;
  readonly numShufflePartitions: number;
  readonly numStateStoreInstances: number;
}

/**
 * What one trigger did, Spark's StreamingQueryProgress: one per executed batch. Rates:
 * `inputRowsPerSecond` is rows over the time since the previous trigger started,
 * `processedRowsPerSecond` rows over this trigger's duration.
 */
export interface StreamingQueryProgress {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  /** Trigger start, ISO-8601 UTC. */
  readonly timestamp: string;
  readonly batchId: number;
  readonly batchDuration: number;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  readonly durationMs: Readonly<BatchDurations>;
  readonly eventTime: Readonly<Record<string, string>>;
  readonly stateOperators: readonly StateOperatorProgress[];
  /**
   * Counters of the batch (not in Spark): `malformedRecords` (values fromJson could not
   * parse), `dataLossOffsets` (Kafka offsets skipped with failOnDataLoss=false). Absent
   * counters are zero.
   */
  readonly metrics?: Readonly<Record<string, number>>;
  readonly sources: readonly SourceProgress[];
  readonly sink: SinkProgress;
}

/** What a query is doing right now (Spark's StreamingQueryStatus). */
export interface StreamingQueryStatus {
  readonly message: string;
  readonly isDataAvailable: boolean;
  readonly isTriggerActive: boolean;
}

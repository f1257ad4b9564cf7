import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { typeEquals, typeName } from '../../common/data-type.js';
import { invalidArgument, SluiceError } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import type { StreamStartRequest } from '../../dataframe/data-stream-writer.js';
import { explainLogicalPlan } from '../../dataframe/plan/explain-plan.js';
import { pushFiltersBelowWatermarks } from '../../dataframe/plan/optimizer/push-down-filters.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import { SystemClock } from '../../scheduler/system-clock.js';
import type { MemorySinkRegistry } from '../../sinks/memory/memory-sink-registry.js';
import type { OutputMode, Sink } from '../../sinks/sink.js';
import { createSink } from '../../sinks/sink-registry.js';
import { Checkpoint } from '../checkpoint/checkpoint.js';
import type { FileManager } from '../../common/log/file-manager.js';
import type { BatchPlanner } from './batch-planner.js';
import { MicroBatchExecution, STATE_PARTITIONS_CONF } from './micro-batch-execution.js';
import { StreamExecution } from './stream-execution.js';
import type { StreamSourceHandle } from './stream-source-handle.js';
import type { StreamingQuery } from '../../dataframe/streaming-query.js';
import type { StreamingQueryManager } from './streaming-query-manager.js';
import { ParquetLateRowsSink } from './stateful/parquet-late-rows-sink.js';
import { parseWatermarkPolicy } from './stateful/watermark-tracker.js';
import { streamingConf, streamingConfInt } from './streaming-conf.js';
import { parseInterval } from '../../scheduler/parse-interval.js';
import { noDataBatchRule } from './no-data-batches.js';
import { checkTrigger } from '../../scheduler/trigger.js';
import type { LateRowsSink } from './micro-batch-execution.js';

/**
 * The columns the plan reads from each streaming source; empty (read everything) if the
 * pruning rules cannot be applied to this plan: pruning is an optimisation, never a refusal.
 */
function requiredColumnsOrAll(plan: LogicalPlan): Map<string, ReadonlySet<string> | null> {
  try {
    return requiredStreamingColumns(plan);
  } catch {
    return new Map();
  }
}

/** The late-rows sink of writeStream's `lateRowsPath` option, or null. */
function lateRowsSinkOf(options: Readonly<Record<string, string | number | boolean>>): LateRowsSink | null {
  const path = options.lateRowsPath;
  return path === undefined || path === '' ? null : new ParquetLateRowsSink(String(path));
}
import { analyzeStreamingPlan } from './streaming-plan-shape.js';
import { requiredStreamingColumns } from '../../dataframe/plan/optimizer/prune-columns.js';
import type { StreamingSourceCatalog } from './streaming-source-catalog.js';

/** What starting a query needs from the session. */
export interface StreamingSessionParts {
  readonly catalog: StreamingSourceCatalog;
  readonly manager: StreamingQueryManager;
  readonly memoryRegistry: MemorySinkRegistry;
  readonly planner: BatchPlanner;
  readonly fileManager: FileManager;
}

const TEMP_CHECKPOINT_FORMATS = new Set(['console', 'memory', 'foreachbatch', 'foreach']);

function checkpointRoot(request: StreamStartRequest, parts: StreamingSessionParts): { root: string; temporary: boolean } {
  const given = request.options.checkpointLocation;
  if (typeof given === 'string' && given !== '') return { root: given, temporary: false };
  const base = parts.planner.conf.get('sluice.sql.streaming.checkpointLocation');
  if (base !== undefined && request.queryName !== null) return { root: join(base, request.queryName), temporary: false };
  if (!TEMP_CHECKPOINT_FORMATS.has(request.format.toLowerCase())) {
    throw invalidArgument(
      `The ${request.format} sink needs a checkpoint location to be exactly-once across restarts: writeStream.option('checkpointLocation', 'path/to/ckpt').`,
    );
  }
  return { root: mkdtempSync(join(tmpdir(), 'sluice-checkpoint-')), temporary: true };
}

function checkSinkMode(sink: Sink, mode: OutputMode): void {
  const supported = (sink as Sink & { supportedOutputModes?: readonly OutputMode[] }).supportedOutputModes;
  if (supported !== undefined && !supported.includes(mode)) {
    throw new SluiceError(
      'UNSUPPORTED',
      `${sink.description} does not support output mode '${mode}'; it supports ${supported.join(', ')}. Pick one of those, or use foreachBatch.`,
    );
  }
}

function sameSchema(a: Schema, b: Schema): boolean {
  return a.fields.length === b.fields.length && a.fields.every((f, i) => f.name === b.fields[i]?.name && typeEquals(f.type, b.fields[i]?.type ?? f.type));
}

function describeSchema(s: Schema): string {
  return s.fields.map((f) => `${f.name} ${typeName(f.type)}`).join(', ');
}

/**
 * Starts a streaming query: validates the plan against the output mode and the sink,
 * opens (and locks) the checkpoint, creates the sources and the sink, recovers from the
 * logs, and launches the micro-batch loop. Every refusal happens here, before any batch.
 */
export async function startStreamingQuery(userPlan: LogicalPlan, request: StreamStartRequest, parts: StreamingSessionParts): Promise<StreamingQuery> {
  const mode = request.outputMode;
  // Filters that do not read the event time run before withWatermark (Spark's optimizer rule).
  const plan = pushFiltersBelowWatermarks(userPlan);
  const trigger = checkTrigger(request.trigger);
  const shape = analyzeStreamingPlan(plan, mode);
  const conf = parts.planner.conf;
  // lateRowsPath belongs to the query (its stateful operators), not to the sink.
  const { lateRowsPath: _late, ...sinkOptions } = request.options;
  const sink = createSink(request.format, {
    options: sinkOptions,
    path: request.path,
    queryName: request.queryName,
    fileManager: parts.fileManager,
    memoryRegistry: parts.memoryRegistry,
    foreachBatch: request.foreachBatch,
    foreachWriter: request.foreachWriter ?? null,
  });
  checkSinkMode(sink, mode);
  sink.checkSchema?.(plan.schema);
  const clock = request.clock ?? new SystemClock();
  const { root, temporary } = checkpointRoot(request, parts);
  const checkpoint = await Checkpoint.open(parts.fileManager, root);
  const sources: StreamSourceHandle[] = [];
  let query: StreamExecution | undefined;
  try {
    for (const [i, rel] of shape.sources.entries()) {
      const provider = parts.catalog.get(rel.sourceId, rel.description);
      const source = await provider.createSource({ metadataDir: checkpoint.layout.sourceDir(i), fileManager: parts.fileManager, clock });
      sources.push({
        sourceId: rel.sourceId,
        description: source.description,
        schema: rel.schema,
        readLimit: provider.readLimit,
        source,
        ownedByUser: provider.ownedByUser,
      });
      if (!sameSchema(source.schema, rel.schema)) {
        throw new SluiceError(
          'INVALID_PLAN',
          `The schema of ${source.description} changed since the streaming DataFrame was built: it was (${describeSchema(rel.schema)}), it is now (${describeSchema(source.schema)}). Pass the schema with readStream.schema(...).`,
        );
      }
    }
    // Tell each source which columns the query reads (its own sources only: a user's may
    // serve other queries; none with a late-rows sink, which keeps whole input rows).
    const required = lateRowsSinkOf(request.options) === null ? requiredColumnsOrAll(plan) : new Map();
    for (const s of sources) {
      const names = required.get(s.sourceId);
      if (!s.ownedByUser && names !== undefined && names !== null && names.size < s.schema.fields.length) s.source.pruneColumns?.(names);
    }
    const runId = randomUUID();
    const hooks = {
      onPhase: (m: string) => query?.setPhase(m),
      onProgress: (p: Parameters<StreamExecution['reportProgress']>[0]) => query?.reportProgress(p),
      onIdle: () => query?.reportIdle(),
      onWarning: (m: string) => process.stderr.write(`Sluice: ${m}\n`),
    };
    const loop = new MicroBatchExecution(
      {
        queryId: checkpoint.queryId,
        runId,
        name: request.queryName,
        checkpoint,
        fileManager: parts.fileManager,
        sources,
        sink,
        outputMode: mode,
        plan,
        shape,
        planner: parts.planner,
        clock,
        trigger,
        pinnedConfDefaults: { [STATE_PARTITIONS_CONF]: String(streamingConfInt(conf, STATE_PARTITIONS_CONF)) },
        minBatchesToRetain: streamingConfInt(conf, 'sluice.sql.streaming.minBatchesToRetain'),
        stateSnapshotInterval: streamingConfInt(conf, 'sluice.sql.streaming.stateStore.snapshotInterval'),
        watermarkPolicy: parseWatermarkPolicy(streamingConf(conf, 'sluice.sql.streaming.multipleWatermarkPolicy')),
        watermarkIdleTimeoutMs: parseInterval(streamingConf(conf, 'sluice.streaming.watermark.idleTimeout')),
        lateRowsSink: lateRowsSinkOf(request.options),
        flushAtEnd: streamingConf(conf, 'sluice.streaming.availableNow.flushAtEnd') === 'true',
        noDataBatches: noDataBatchRule(conf),
      },
      hooks,
    );
    query = new StreamExecution(
      {
        queryId: checkpoint.queryId,
        runId,
        name: request.queryName,
        trigger,
        clock,
        checkpoint,
        sources,
        sink,
        listeners: () => parts.manager.listeners(),
        pollingDelayMs: streamingConfInt(conf, 'sluice.sql.streaming.pollingDelay'),
        idleEventIntervalMs: streamingConfInt(conf, 'sluice.sql.streaming.noDataProgressEventInterval'),
        explain: () => explainLogicalPlan(plan),
        onTerminated: (q) => {
          parts.manager.unregister(q);
          if (temporary) rmSync(root, { recursive: true, force: true });
        },
      },
      loop,
    );
    await loop.start();
    try {
      await sink.open?.({
        queryId: checkpoint.queryId,
        checkpointLocation: root,
        firstBatchId: loop.nextBatchId,
        firstBatchIsReplay: loop.resumesWithReplay,
        schema: plan.schema,
      });
    } catch (e) {
      await loop.close().catch(() => undefined);
      throw e;
    }
    parts.manager.register(query);
    query.launch();
    return query;
  } catch (e) {
    for (const s of sources) if (!s.ownedByUser) await s.source.stop().catch(() => undefined);
    await sink.stop().catch(() => undefined);
    await checkpoint.close();
    if (temporary) rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

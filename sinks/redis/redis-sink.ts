import type { ChainableCommander } from 'ioredis';
import type { ColumnarBatch } from '../../common/column-vector.js';
import { invalidArgument, SluiceError } from '../../common/errors.js';
import { RedisConnection } from '../../common/redis-connection.js';
import type { ScanOptions } from '../../common/connector-options.js';
import type { Schema } from '../../common/schema.js';
import type { DataFrame } from '../../dataframe/data-frame.js';
import type { OutputMode, Sink, SinkRunInfo } from '../sink.js';
import { isCommitted, markerValue, parseMarker } from './redis-batch-marker.js';
import type { BatchReaders, QueuedRows } from './redis-row-commands.js';
import { batchReaders, queueRowCommands } from './redis-row-commands.js';
import type { RedisSinkColumns, RedisSinkOptions } from './redis-sink-options.js';
import { redisSinkColumns, redisSinkOptions } from './redis-sink-options.js';
import type { RowRange } from './row-chunks.js';
import { forEachChunk } from './row-chunks.js';

/** Queues a chunk's rows on `p`, reading each batch's columns once (readers are cached per batch). */
export function queueChunk(
  p: ChainableCommander,
  ranges: readonly RowRange[],
  opts: RedisSinkOptions,
  columnsOf: (schema: Schema) => RedisSinkColumns,
  readers: WeakMap<ColumnarBatch, BatchReaders>,
  out: QueuedRows,
): void {
  for (const r of ranges) {
    const cols = columnsOf(r.batch.schema);
    let rd = readers.get(r.batch);
    if (rd === undefined) readers.set(r.batch, (rd = batchReaders(r.batch, opts, cols)));
    queueRowCommands(p, rd, opts, cols, r.from, r.to, out);
  }
}

/** Throws QUERY_FAILED for the first command error in a pipeline or EXEC reply. */
export function checkReplies(replies: [Error | null, unknown][] | null, what: string): void {
  for (const [err] of replies ?? []) {
    if (err)
      throw new SluiceError('INVALID_ARGUMENT', `Redis refused a command while ${what}: ${err.message}. Check that the keys hold the type the sink writes.`, {
        domain: 'external',
        cause: err,
      });
  }
}

/**
 * The Redis sink (`writeStream.format('redis')`): each row becomes one command, SET
 * (type string), HSET (hash), ZADD (zset) or XADD (stream), on a key taken from a column
 * or a template over columns, optionally followed by EXPIRE (see {@link queueRowCommands}).
 * All output modes are accepted (every command is an upsert, except XADD which appends).
 *
 * Exactly-once, per batch id. The sink keeps one marker key (option `markerKey`, default
 * `sluice:sink:<query id>`, the id kept in the checkpoint) holding `N` once batch N is completely written, or `N:c`
 * while transactions 0..c of batch N are. A batch's rows are cut, in order, into
 * transactions of `rowsPerTransaction` rows; each is written as
 * `WATCH marker; GET marker; MULTI; <row commands>; SET marker N:c (or N for the last); EXEC`.
 * So a transaction's rows and the marker change become visible together or not at all, and
 * EXEC aborts when anybody changed the marker after the GET. Hence:
 * - A batch the marker shows complete (a replay after a crash between the sink and the
 *   commit log, or a writer that lost a race) is skipped before its plan even runs.
 * - For string, hash and zset the commands are idempotent (the same rows give the same
 *   keys and values however often they run), so a partly written batch is written again
 *   from its start, which is correct whatever order the replay yields its rows in.
 * - XADD appends, so for type stream transactions 0..c of a partly written batch are
 *   skipped on replay and the rest written. This relies on the replay yielding the rows in
 *   the same order, which Sluice's deterministic sources and plans do; with batches no
 *   larger than `rowsPerTransaction` (one transaction) it holds regardless of order.
 * - A connection lost mid-transaction is retried from the WATCH (for up to `retryMillis`),
 *   so an EXEC that ran but whose reply was lost is seen in the marker, never run twice.
 * - Two writers racing on one batch: after the first EXEC changes the marker the other's
 *   EXEC aborts; it re-reads the marker and stops once it shows the batch complete, so
 *   nothing is written after the marker says N, and every XADD transaction runs once.
 * The marker belongs to one query. `open` (at `start()`) refuses a marker ahead of the
 * checkpoint (another query's, or a checkpoint that was reset), which would otherwise make
 * the sink skip this query's batches.
 * A command error inside a transaction (WRONGTYPE: the key holds another type) fails the
 * query; Redis does not roll back the other commands of that transaction. TTLs are set
 * again when a batch is rewritten.
 */
export class RedisSink implements Sink {
  readonly description: string;
  /** Output modes this sink accepts. */
  readonly supportedOutputModes: readonly OutputMode[] = ['append', 'update', 'complete'];
  /** The validated options. */
  readonly options: RedisSinkOptions;
  /** The key recording committed batches; set by the `markerKey` option or by {@link RedisSink.open}. */
  markerKey: string | null;
  /** Rows written by this instance (a transaction retried after a lost connection counts once). */
  rowsWritten = 0;
  /** Rows left out because their key or every value was null. */
  rowsSkipped = 0;
  /** Batches skipped because the marker showed them written. */
  batchesSkipped = 0;
  private connection: RedisConnection | null = null;
  private columnsCache: { schema: Schema; cols: RedisSinkColumns } | null = null;

  /**
   * @param options - url, type, key | keyColumn, valueColumn, scoreColumn, memberColumn, ttl, markerKey, rowsPerTransaction, retryMillis
   * @param schema - the result schema, when known: columns are checked now rather than at `open` or the first batch
   */
  constructor(options: ScanOptions, schema: Schema | null = null) {
    this.options = redisSinkOptions(options);
    this.markerKey = this.options.markerKey;
    if (schema !== null) this.columnsOf(schema);
    this.description = `RedisSink[${this.options.type} ${this.options.keyColumn ?? this.options.key.literals.join('{}')}]`;
  }

  private columnsOf(schema: Schema): RedisSinkColumns {
    if (this.columnsCache?.schema !== schema) this.columnsCache = { schema, cols: redisSinkColumns(this.options, schema) };
    return this.columnsCache.cols;
  }

  private async connect(): Promise<RedisConnection> {
    this.connection ??= await RedisConnection.open({ url: this.options.url, owner: 'redis sink', retryMillis: this.options.retryMillis });
    return this.connection;
  }

  /**
   * Checks the result schema's columns, takes `sluice:sink:<query id>` as the marker key
   * unless option `markerKey` names one, and refuses a marker that is ahead of the
   * checkpoint: it shows a batch after `run.firstBatchId` (or that batch, complete, when it
   * is not a replay), so it belongs to another query or the checkpoint was reset.
   */
  async open(run: SinkRunInfo): Promise<void> {
    this.columnsOf(run.schema);
    const marker = this.options.markerKey ?? `sluice:sink:${run.queryId}`;
    this.markerKey = marker;
    const conn = await this.connect();
    const state = await conn.run(`reading marker ${marker}`, async (c) => parseMarker(marker, await c.get(marker)));
    const ahead = state.batchId > run.firstBatchId || (state.batchId === run.firstBatchId && !run.firstBatchIsReplay);
    if (ahead)
      throw invalidArgument(
        `The redis sink's marker key '${marker}' shows batch ${state.batchId} written, but the checkpoint '${run.checkpointLocation}' starts at batch ${run.firstBatchId}` +
          `${run.firstBatchIsReplay ? '' : ' (not yet run)'}: the marker belongs to another query, or the checkpoint was reset. ` +
          `Use another option 'markerKey', or delete the key if no query uses it.`,
      );
  }

  async addBatch(batchId: number, data: DataFrame, _mode: OutputMode): Promise<void> {
    this.columnsOf(data.schema);
    const marker = this.markerKey;
    if (marker === null)
      throw invalidArgument(
        "The redis sink records committed batches in a marker key: set option 'markerKey', or let the query open the sink (writeStream.start()).",
      );
    const conn = await this.connect();
    const first = await conn.run(`reading marker ${marker}`, async (c) => parseMarker(marker, await c.get(marker)));
    if (isCommitted(first, batchId)) {
      this.batchesSkipped++;
      return;
    }
    const readers = new WeakMap<ColumnarBatch, BatchReaders>();
    const columnsOf = (s: Schema) => this.columnsOf(s);
    await forEachChunk(data.batches(), this.options.rowsPerTransaction, (ranges, chunk, final) =>
      conn.run(`writing batch ${batchId} (transaction ${chunk})`, async (client) => {
        for (;;) {
          await client.watch(marker);
          const state = parseMarker(marker, await client.get(marker));
          if (isCommitted(state, batchId)) {
            await client.unwatch();
            if (chunk === 0) this.batchesSkipped++;
            return false;
          }
          if (this.options.type === 'stream' && state.batchId === batchId && state.chunk >= chunk) {
            await client.unwatch();
            return true;
          }
          const tx = client.multi();
          const out = { written: 0, skipped: 0 };
          queueChunk(tx, ranges, this.options, columnsOf, readers, out);
          tx.set(marker, markerValue(batchId, chunk, final));
          const replies = await tx.exec();
          if (replies === null) continue;
          checkReplies(replies, `writing batch ${batchId} to ${this.description}`);
          this.rowsWritten += out.written;
          this.rowsSkipped += out.skipped;
          return true;
        }
      }),
    );
  }

  async stop(): Promise<void> {
    await this.connection?.close();
    this.connection = null;
  }
}

/**
 * Writes a DataFrame's rows to Redis once (`df.write.format('redis').save()`): the same
 * commands as {@link RedisSink}, pipelined `rowsPerTransaction` at a time, without marker
 * or transactions. A pipeline retried after a lost connection may repeat its commands
 * (harmless for string, hash and zset; XADD entries may repeat): batch writes are
 * at-least-once, as Spark's batch writes to external stores.
 */
export async function writeRedisBatch(batches: AsyncIterable<ColumnarBatch>, schema: Schema, options: ScanOptions): Promise<void> {
  if (options.markerKey !== undefined) throw invalidArgument("Option 'markerKey' of the redis sink applies to streaming writes only; remove it.");
  const opts = redisSinkOptions(options);
  const cols = redisSinkColumns(opts, schema);
  const conn = await RedisConnection.open({ url: opts.url, owner: 'redis sink', retryMillis: opts.retryMillis });
  const readers = new WeakMap<ColumnarBatch, BatchReaders>();
  try {
    await forEachChunk(batches, opts.rowsPerTransaction, (ranges, chunk) =>
      conn.run(`writing rows (pipeline ${chunk})`, async (client) => {
        const p = client.pipeline();
        queueChunk(p, ranges, opts, () => cols, readers, { written: 0, skipped: 0 });
        checkReplies(await p.exec(), 'writing rows to redis');
        return true;
      }),
    );
  } finally {
    await conn.close();
  }
}

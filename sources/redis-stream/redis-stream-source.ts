import type { Redis } from 'ioredis';
import type { ColumnarBatch } from '../../common/column-vector.js';
import type { ScanOptions } from '../../common/connector-options.js';
import { SluiceError } from '../../common/errors.js';
import type { FileManager } from '../../common/log/file-manager.js';
import { RedisConnection } from '../../common/redis-connection.js';
import type { Schema } from '../../common/schema.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { Offset, ReadLimit, Source } from '../source.js';
import type { RedisStreamOptions, StreamPosition } from './redis-stream-options.js';
import { redisStreamOptions } from './redis-stream-options.js';
import type { StreamOffsets } from './redis-stream-offsets.js';
import { InitialOffsetsLog, parseStreamOffsets } from './redis-stream-offsets.js';
import { BEFORE_FIRST, compareIds, maxId } from './stream-id.js';
import { StreamEntryColumns, redisStreamSchema } from './stream-entry-columns.js';
import type { RawEntry } from './stream-reads.js';
import { lastEntryId, lostEntries, readRange, streamInfo } from './stream-reads.js';

/** Where the source keeps its initial offsets (absent for batch reads). */
export interface RedisStreamMetadata {
  readonly metadataPath: string;
  readonly fileManager: FileManager;
}

/**
 * Reads Redis streams (`readStream.format('redis-stream')`) into columns: `stream`, `id`,
 * `timestamp` (the id's milliseconds), then the user schema's columns decoded from the
 * entry fields of the same name (text → type; a value that does not convert is null and
 * counted in `malformedValues`), or, without a user schema, `fields`: the entry's fields as
 * a JSON object of strings.
 *
 * Offsets: per stream key, the id of the last entry read (`{"orders": "1700000000000-3"}`),
 * `0-0` before the first. `getBatch(start, end)` reads each stream's `(start, end]` with
 * XRANGE and an exclusive start, so a logged range is read again exactly (a restart replays
 * the same entries), as long as Redis still holds them. Before reading it asks XINFO STREAM
 * whether entries of the range are gone (see {@link lostEntries}; a range other than the one
 * the last latestOffset offered is a replay); then, with
 * `failOnDataLoss` (default) it throws DATA_LOSS naming the stream, the range and the fixes,
 * otherwise it reads what is left and counts the range in `lostRanges`.
 *
 * `latestOffset` without a limit takes each stream's newest id (XREVRANGE COUNT 1). With
 * `maxEntriesPerTrigger` (or the engine's maxRows) it reads up to that many entries (split
 * evenly over the streams, at least one per stream) and keeps them for the `getBatch` of
 * that same range, so entries are fetched once. The initial offsets (startingOffsets:
 * earliest, latest or ids, per stream) are resolved once and logged in the source's
 * checkpoint folder. With option `group`, each `commit(end)` moves that consumer group's
 * last-delivered id to `end` (XGROUP SETID; the group is created if missing) so Redis
 * tools show how far the query got (the engine reports a batch's commit when it plans the
 * next batch, so the group trails by one batch); the offsets in the checkpoint stay the truth.
 * Reading happens on the driver; connection failures are retried for `retryMillis`.
 */
export class RedisStreamSource implements Source {
  readonly schema: Schema;
  readonly description: string;
  /** The validated options. */
  readonly options: RedisStreamOptions;
  /** Entry values that did not convert to their column's type. */
  malformedValues = 0;
  /** Ranges read although entries of them were gone (failOnDataLoss=false). */
  lostRanges = 0;
  private readonly json: boolean;
  private readonly log: InitialOffsetsLog | null;
  private connection: RedisConnection | null = null;
  private availableNowEnd: StreamOffsets | null = null;
  /** The range the last latestOffset offered (`start` and `end` as JSON); any other range read is a replay. */
  private offered: string | null = null;
  /** Entries read by the last limited latestOffset, by `stream|after|upto`. */
  private prefetched = new Map<string, RawEntry[][]>();

  /**
   * @param options - url, streams, startingOffsets, endingOffsets, maxEntriesPerTrigger, failOnDataLoss, group, retryMillis
   * @param userSchema - the entry fields to decode into columns, or null for the `fields` JSON column
   * @param metadata - the checkpoint folder for the initial offsets; null for a batch read
   */
  constructor(options: ScanOptions, userSchema: Schema | null, metadata: RedisStreamMetadata | null) {
    this.options = redisStreamOptions(options);
    this.schema = redisStreamSchema(userSchema);
    this.json = userSchema === null;
    this.log = metadata === null ? null : new InitialOffsetsLog(metadata.fileManager, metadata.metadataPath);
    this.description = `RedisStreamSource[${this.options.streams.join(',')}]`;
  }

  private async run<T>(what: string, op: (client: Redis) => Promise<T>): Promise<T> {
    this.connection ??= await RedisConnection.open({ url: this.options.url, owner: 'redis-stream source', retryMillis: this.options.retryMillis });
    return this.connection.run(what, op);
  }

  /** Resolves positions (earliest, latest, ids) to ids. */
  async resolve(positions: Readonly<Record<string, StreamPosition>>): Promise<StreamOffsets> {
    const out: Record<string, string> = {};
    for (const s of this.options.streams) {
      const p = positions[s] as StreamPosition;
      out[s] = p === 'earliest' ? BEFORE_FIRST : p === 'latest' ? await this.run(`reading the newest id of '${s}'`, (c) => lastEntryId(c, s)) : p;
    }
    return out;
  }

  async initialOffset(): Promise<Offset> {
    const resolve = () => this.resolve(this.options.starting);
    return this.log === null ? resolve() : this.log.initial(resolve);
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.availableNowEnd = await this.resolve(Object.fromEntries(this.options.streams.map((s) => [s, 'latest'])));
  }

  async latestOffset(start: Offset, limit: ReadLimit): Promise<Offset> {
    const from = parseStreamOffsets(start, this.options.streams, this.description);
    const caps = [this.options.maxEntriesPerTrigger, limit.maxRows ?? null].filter((x): x is number => x !== null);
    const cap = caps.length === 0 ? null : Math.min(...caps);
    const streams = this.options.streams;
    const end: Record<string, string> = {};
    this.prefetched.clear();
    for (const [i, s] of streams.entries()) {
      const after = from[s] as string;
      const bound = this.availableNowEnd?.[s] ?? '+';
      if (cap === null) {
        const last = bound === '+' ? await this.run(`reading the newest id of '${s}'`, (c) => lastEntryId(c, s)) : bound;
        end[s] = maxId(after, last);
        continue;
      }
      if (bound !== '+' && compareIds(bound, after) <= 0) {
        end[s] = after;
        continue;
      }
      const share = Math.max(1, Math.floor(cap / streams.length) + (i < cap % streams.length ? 1 : 0));
      const pages: RawEntry[][] = [];
      end[s] = await this.run(`reading '${s}'`, (c) => {
        pages.length = 0;
        return readRange(c, s, after, bound, share, (p) => pages.push(p));
      });
      if (pages.length > 0) this.prefetched.set(`${s}|${after}|${end[s]}`, pages);
    }
    this.offered = JSON.stringify([from, end]);
    return end;
  }

  async getBatch(start: Offset | null, end: Offset): Promise<LogicalPlan> {
    const streams = this.options.streams;
    const to = parseStreamOffsets(end, streams, this.description);
    const from = parseStreamOffsets(start ?? (await this.initialOffset()), streams, this.description);
    const replay = JSON.stringify([from, to]) !== this.offered;
    return buildLocalRelation(this.schema, await this.readBatches(from, to, replay ? 'replay' : 'first'));
  }

  /**
   * Reads `(from, to]` of every stream into batches (one per XRANGE page). `check` says which
   * data-loss checks run: a `first` read of a range latestOffset just offered, a `replay` of
   * a logged range (also XDEL inside the range), or `none` (batch reads).
   */
  async readBatches(from: StreamOffsets, to: StreamOffsets, check: 'first' | 'replay' | 'none'): Promise<ColumnarBatch[]> {
    const batches: ColumnarBatch[] = [];
    for (const s of this.options.streams) {
      const after = from[s] as string;
      const upto = to[s] as string;
      if (compareIds(after, upto) >= 0) continue;
      if (check !== 'none') await this.checkLoss(s, after, upto, check === 'replay');
      const add = (page: RawEntry[]) => {
        const cols = new StreamEntryColumns(this.schema, page.length, this.json);
        for (const [id, kv] of page) cols.append(s, id, kv);
        this.malformedValues += cols.malformed;
        batches.push(cols.build());
      };
      const cached = this.prefetched.get(`${s}|${after}|${upto}`);
      if (cached !== undefined) cached.forEach(add);
      else {
        const pages: RawEntry[][] = [];
        await this.run(`reading '${s}' (${after}, ${upto}]`, (c) => {
          pages.length = 0;
          return readRange(c, s, after, upto, Number.MAX_SAFE_INTEGER, (p) => pages.push(p));
        });
        pages.forEach(add);
      }
    }
    this.prefetched.clear();
    return batches;
  }

  private async checkLoss(stream: string, after: string, upto: string, replay: boolean): Promise<void> {
    const why = lostEntries(await this.run(`inspecting '${stream}'`, (c) => streamInfo(c, stream)), after, upto, replay);
    if (why === null) return;
    if (!this.options.failOnDataLoss) {
      this.lostRanges++;
      return;
    }
    throw new SluiceError(
      'DATA_LOSS',
      `${this.description}: entries of stream '${stream}' in the range (${after}, ${upto}] are gone: ${why}. ` +
        `The query cannot replay or read them. Keep more entries (a larger MAXLEN), or set option failOnDataLoss=false to read what is left.`,
      { domain: 'external' },
    );
  }

  async commit(end: Offset): Promise<void> {
    const group = this.options.group;
    if (group === null) return;
    const to = parseStreamOffsets(end, this.options.streams, this.description);
    for (const s of this.options.streams) {
      await this.run(`moving group '${group}' of '${s}'`, async (c) => {
        try {
          await c.xgroup('CREATE', s, group, to[s] as string, 'MKSTREAM');
        } catch (e) {
          if (!(e instanceof Error && e.message.startsWith('BUSYGROUP'))) throw e;
          await c.xgroup('SETID', s, group, to[s] as string);
        }
      });
    }
  }

  async stop(): Promise<void> {
    await this.connection?.close();
    this.connection = null;
  }
}

import { randomUUID } from 'node:crypto';
import { SluiceError } from '../../common/errors.js';
import type { Schema } from '../../common/schema.js';
import type { StreamingRelation } from '../../dataframe/plan/logical-plan.js';
import type { ReadLimit, Source } from '../../sources/source.js';
import type { Clock } from '../../scheduler/clock.js';
import type { FileManager } from '../../common/log/file-manager.js';

/** What a query gives a source when it creates it. */
export interface SourceCreateContext {
  /** The source's private folder in the checkpoint: `sources/<ordinal>`. */
  readonly metadataDir: string;
  readonly fileManager: FileManager;
  /** The query's clock (time-driven sources read it). */
  readonly clock: Clock;
}

/**
 * A streaming source as registered by `readStream...load()`: its schema and description
 * (known when the DataFrame is built), the read limit from its options, and how to create
 * the {@link Source} for one run of a query.
 *
 * Contract: `createSource` is called once per query start; when `ownedByUser` is true the
 * same instance may be handed to several runs (a memory stream the test keeps adding to)
 * and the query does not stop it.
 */
export interface StreamSourceProvider {
  readonly schema: Schema;
  readonly description: string;
  /** The limit each batch is read under (maxFilesPerTrigger, maxRowsPerTrigger, ...); `{}` admits everything. */
  readonly readLimit: ReadLimit;
  readonly ownedByUser: boolean;
  createSource(context: SourceCreateContext): Promise<Source>;
}

/**
 * The session's streaming sources by id: a plan's `StreamingRelation` leaves hold only the
 * id, so plans stay plain data; a query resolves the ids here when it starts.
 */
export class StreamingSourceCatalog {
  private readonly providers = new Map<string, StreamSourceProvider>();

  /** Registers a provider and returns the plan leaf standing for it. */
  register(provider: StreamSourceProvider): StreamingRelation {
    const sourceId = randomUUID();
    this.providers.set(sourceId, provider);
    return Object.freeze({ kind: 'streamingRelation', sourceId, description: provider.description, schema: provider.schema });
  }

  /** The provider of `sourceId`; throws when the plan comes from another session. */
  get(sourceId: string, description: string): StreamSourceProvider {
    const p = this.providers.get(sourceId);
    if (p === undefined) {
      throw new SluiceError(
        'INVALID_PLAN',
        `The streaming source ${description} belongs to another Sluice session. Build the streaming DataFrame with this session's readStream.`,
      );
    }
    return p;
  }
}

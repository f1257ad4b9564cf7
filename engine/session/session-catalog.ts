import type { FileFormat, LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { QueryExecutor } from '../../dataframe/query-executor.js';
import type { SqlCatalog } from '../../dataframe/sql/sql-catalog.js';
import { buildLocalRelation } from '../../dataframe/plan/builders/build-misc.js';
import { parseDdlSchema } from '../../common/parse-ddl-schema.js';
import { shareBatch } from '../workers/shared-memory.js';
import { createLocalBatch } from './create-local-batch.js';
import { DataFrameReader } from './data-frame-reader.js';

/**
 * The temporary views of one session (Spark's session catalog, temp views only), and file
 * reads for SQL's `parquet.\`path\`` relations. A view holds the DataFrame's plan: plans are
 * immutable data, so later changes to the session do not alter a registered view, and a
 * streaming view keeps referring to its source by id.
 */
export class SessionCatalog implements SqlCatalog {
  private readonly views = new Map<string, LogicalPlan>();

  /**
   * @param tables looked up when no temp view has the name (Spark resolves temp views first,
   *   then tables): the session's memory-sink tables and `toTable` catalog tables.
   */
  constructor(
    private readonly executor: QueryExecutor,
    private readonly tables: (name: string) => LogicalPlan | undefined = () => undefined,
  ) {}

  registerTempView(name: string, plan: LogicalPlan): void {
    this.views.set(name.toLowerCase(), plan);
  }

  tempView(name: string): LogicalPlan | undefined {
    return this.views.get(name.toLowerCase()) ?? this.tables(name);
  }

  dropTempView(name: string): boolean {
    return this.views.delete(name.toLowerCase());
  }

  tempViewNames(): string[] {
    return [...this.views.keys()].sort();
  }

  oneRow(): LogicalPlan {
    const local = createLocalBatch([[1]], parseDdlSchema('__one INT'));
    return buildLocalRelation(local.schema, [shareBatch(local.batch)]);
  }

  async readFiles(format: FileFormat, path: string): Promise<LogicalPlan> {
    return (await new DataFrameReader(this.executor).format(format).load(path)).plan;
  }
}

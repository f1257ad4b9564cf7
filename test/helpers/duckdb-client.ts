import { DuckDBInstance } from '@duckdb/node-api';

/** A small DuckDB session for tests: run SQL, get rows as JS objects. */
export class DuckDbClient {
  private constructor(private readonly conn: Awaited<ReturnType<DuckDBInstance['connect']>>) {}

  /** Opens an in-memory DuckDB with `threads` threads. */
  static async open(threads = 1): Promise<DuckDbClient> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    return new DuckDbClient(await instance.connect());
  }

  /** Runs a statement and returns its rows (BIGINT as bigint, TIMESTAMP as Date). */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.conn.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  /** Closes the connection. */
  close(): void {
    this.conn.closeSync();
  }
}

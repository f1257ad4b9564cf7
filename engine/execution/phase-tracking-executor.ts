import type { ColumnarBatch } from '../../common/column-vector.js';
import type { LogicalPlan } from '../../dataframe/plan/logical-plan.js';
import type { QueryExecutor } from '../../dataframe/query-executor.js';

/**
 * Wraps the executor of the DataFrame a streaming sink receives, so a failure names the
 * right culprit: the batch's query plan runs lazily while the sink pulls its rows, so
 * without this an unreadable input file would be reported as a failure of the sink. While
 * the sink waits for the plan's next batch (or a `write`/`materialize` of it runs),
 * `onPlan` sets the phase; when the batch arrives, `onSink` sets it back. A failure of the
 * plan leaves the plan phase in place. Everything else is the wrapped executor's.
 */
export function phaseTrackingExecutor(inner: QueryExecutor, onPlan: () => void, onSink: () => void): QueryExecutor {
  async function* tracked(source: AsyncIterable<ColumnarBatch>): AsyncGenerator<ColumnarBatch> {
    const it = source[Symbol.asyncIterator]();
    let done = false;
    try {
      while (true) {
        onPlan();
        const r = await it.next();
        onSink();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } finally {
      if (!done) await it.return?.();
    }
  }
  const around = async <T>(run: () => Promise<T>): Promise<T> => {
    onPlan();
    const out = await run();
    onSink();
    return out;
  };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'execute') return (plan: LogicalPlan) => tracked(target.execute(plan));
      if (prop === 'write') return (plan: LogicalPlan, request: Parameters<QueryExecutor['write']>[1]) => around(() => target.write(plan, request));
      if (prop === 'materialize') return (plan: LogicalPlan) => around(() => target.materialize(plan));
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

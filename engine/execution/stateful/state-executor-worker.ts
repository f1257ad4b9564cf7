/**
 * The body of a state executor thread: it owns some state partitions of the query's
 * stateful operators (aggregation, session windows, deduplication) for the life of the query and keeps their stores across batches. The driver
 * sends a batch's partial rows per partition; the executor merges them into the stores it
 * keeps open until the driver says commit or abort. Requests are handled one at a time, in
 * arrival order.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { internalError, SluiceError } from '../../../common/errors.js';
import { OwnedStatePartitions } from './owned-state-partitions.js';
import type { PartitionedStateMetrics } from './partitioned-state.js';
import type { BatchReply, ExecutorEnvelope, ExecutorReply, ExecutorRequest, VerifyReply } from './state-executor-protocol.js';

const operators = new Map<number, OwnedStatePartitions>();

function owned(operatorId: number): OwnedStatePartitions {
  const op = operators.get(operatorId);
  if (op === undefined) throw internalError(`state executor has no state for operator ${operatorId}; it was not initialised`);
  return op;
}

/** Handles one request; exported for tests that run an executor in the current thread. */
export async function handleExecutorRequest(req: ExecutorRequest): Promise<BatchReply | VerifyReply | PartitionedStateMetrics | null> {
  switch (req.kind) {
    case 'init':
      await operators.get(req.operatorId)?.close();
      operators.set(req.operatorId, new OwnedStatePartitions(req));
      return null;
    case 'verify':
      return owned(req.operatorId).verify(req.version);
    case 'batch':
      return owned(req.operatorId).batch(req);
    case 'commit':
      return owned(req.operatorId).commit();
    case 'abort':
      operators.get(req.operatorId)?.abort();
      return null;
    case 'close':
      for (const op of operators.values()) await op.close();
      operators.clear();
      return null;
  }
}

/** A full garbage collection of this thread's heap (V8's gc, exposed for this thread only). */
const collectGarbage: () => void = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return () => undefined;
  }
})();

/** External (typed array) memory after the last collection; collect again once it grew by 16 MiB (a merged state version replaces the old one, which would otherwise linger). */
let externalAfterGc = 0;
function collectIfGrown(): void {
  const external = getHeapStatistics().external_memory;
  if (external < externalAfterGc + 16 * 1024 * 1024) return;
  collectGarbage();
  externalAfterGc = getHeapStatistics().external_memory;
}

const port = parentPort;
if (port !== null) {
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (msg: ExecutorEnvelope) => {
    queue = queue.then(async () => {
      let reply: ExecutorReply;
      try {
        reply = { id: msg.id, ok: true, value: await handleExecutorRequest(msg.request) };
      } catch (e) {
        reply = { id: msg.id, ok: false, error: SluiceError.toPlainAny(e) };
      }
      try {
        port.postMessage(reply);
      } catch (e) {
        port.postMessage({ id: msg.id, ok: false, error: SluiceError.toPlainAny(e) } satisfies ExecutorReply);
      }
      // The batch's rows arrive and leave as copies (structured clone): once a batch is
      // committed they are garbage, but an executor's JS heap is tiny (state lives in typed
      // arrays), so V8 would rarely collect them on its own and the copies would pile up as
      // process memory. Collect when the thread's typed-array memory grew since the last
      // collection (a full collection of a small heap with large state costs tens of ms).
      if (msg.request.kind === 'commit') collectIfGrown();
    });
  });
}

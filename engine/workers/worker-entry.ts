import { Piscina, transferableSymbol, valueSymbol } from 'piscina';
import { internalError, SluiceError } from '../../common/errors.js';
import { runStageTask } from './run-stage-task.js';
import { isStageTask } from './stage-task.js';
import { compactForTransfer } from './shared-memory.js';

/**
 * The worker thread's task handler: validates the message, runs the stage task and sends
 * the result back with its buffers transferred (not copied).
 */
export default async function handleTask(message: unknown): Promise<unknown> {
  if (!isStageTask(message)) return { ok: false, error: SluiceError.toPlainAny(internalError('worker received a malformed task message')) };
  const result = await runStageTask(message);
  if (!result.ok) return result;
  const { batches, transfer } = compactForTransfer(result.batches);
  const value = { ...result, batches };
  return Piscina.move({
    get [transferableSymbol]() {
      return transfer;
    },
    get [valueSymbol]() {
      return value;
    },
  });
}

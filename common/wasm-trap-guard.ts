/**
 * Turns a WebAssembly trap inside an asynchronous wasm call into a rejection of that call.
 *
 * parquet-wasm decodes pages inside promise callbacks; when its Rust code panics on garbage
 * (a panic is a wasm `unreachable` trap), the RuntimeError is thrown from a microtask, not
 * into the awaiting code: the promise never settles and the thread dies with an uncaught
 * exception, naming nothing. While a guarded call is pending, a process-level
 * `uncaughtException` listener takes such traps and rejects the pending guarded calls with
 * them, so the caller can say which file failed. Other uncaught errors are left alone: when
 * no one else listens they are rethrown on the next tick, crashing as they would have.
 *
 * A trapped call leaves the objects it borrowed unusable (they cannot be freed); callers
 * should drop them and open fresh ones.
 */

/** WebAssembly's RuntimeError class (the compile target's lib does not declare WebAssembly). */
const RuntimeError = (globalThis as unknown as { WebAssembly?: { RuntimeError?: new () => Error } }).WebAssembly?.RuntimeError;

const pending = new Set<(e: unknown) => void>();
let installed = false;

function onUncaught(e: unknown): void {
  if (isWasmTrap(e) && pending.size > 0) {
    const waiting = [...pending];
    pending.clear();
    for (const reject of waiting) reject(e);
    return;
  }
  if (process.listenerCount('uncaughtException') > 1) return;
  uninstall();
  process.nextTick(() => {
    throw e;
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', onUncaught);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.removeListener('uncaughtException', onUncaught);
}

/**
 * Runs `call` and returns its result; a WebAssembly trap thrown while it is pending (see the
 * file comment) rejects it with the trap's RuntimeError. With several guarded calls pending
 * at once (the driver thread), a trap rejects all of them, as it cannot tell whose it was.
 */
export async function guardWasmTrap<T>(call: () => Promise<T>): Promise<T> {
  let reject!: (e: unknown) => void;
  const trapped = new Promise<never>((_resolve, r) => {
    reject = r;
  });
  pending.add(reject);
  install();
  try {
    return await Promise.race([call(), trapped]);
  } finally {
    pending.delete(reject);
    if (pending.size === 0) uninstall();
  }
}

/** True for the error of a WebAssembly trap (a crash inside wasm code, e.g. a Rust panic). */
export function isWasmTrap(e: unknown): e is Error {
  return RuntimeError !== undefined && e instanceof RuntimeError;
}

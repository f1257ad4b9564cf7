import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * stderr lines an engine prints in normal operation of this benchmark, not passed through:
 * Sluice's "falling behind" warning (a batch longer than the trigger, every batch on a
 * loaded machine) and Spark's abort of the batch that `stop()` interrupts.
 */
const NOISE = /is falling behind: a batch took|WriteToDataSourceV2Exec: Data source write support .* (is aborting|aborted)/;

/** A message an engine process prints (one JSON object per stdout line). */
export interface EngineEvent {
  readonly event: 'ready' | 'started' | 'stopped' | 'error';
  readonly id?: string;
  readonly message?: string;
  /** `stopped`: one `[inputRows, triggerExecutionMs, addBatchMs]` per executed batch. */
  readonly batches?: readonly (readonly [number, number, number])[];
  readonly error?: string | null;
  readonly [field: string]: unknown;
}

/** What the runner asks an engine to run: the kafka-e2e pipeline from `input` to `output`. */
export interface StartCommand {
  readonly cmd: 'start';
  readonly id: string;
  readonly bootstrap: string;
  readonly input: string;
  readonly output: string;
  readonly triggerMs: number;
  readonly maxOffsetsPerTrigger: number | null;
  readonly checkpoint: string;
}

/**
 * An engine under test in its own process (Spark: spark_engine.py; Sluice: sluice-engine.js),
 * driven by JSON lines on stdin and answering on stdout (see spark_engine.py for the
 * protocol). Its stderr is passed through with a prefix so failures are visible.
 */
export class EngineProcess {
  private readonly waiting: { readonly match: (e: EngineEvent) => boolean; readonly resolve: (e: EngineEvent) => void }[] = [];
  private readonly events: EngineEvent[] = [];
  private exited: Error | null = null;
  /** stderr lines left out as expected noise (see {@link NOISE}). */
  noiseLines = 0;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let e: EngineEvent;
      try {
        e = JSON.parse(line) as EngineEvent;
      } catch {
        process.stderr.write(`[${name}] ${line}\n`);
        return;
      }
      const i = this.waiting.findIndex((w) => w.match(e));
      if (i >= 0) this.waiting.splice(i, 1)[0]?.resolve(e);
      else this.events.push(e);
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (NOISE.test(line)) this.noiseLines++;
      else if (process.env.KAFKA_E2E_QUIET !== '1') process.stderr.write(`[${name}] ${line}\n`);
    });
    child.on('exit', (code, signal) => {
      this.exited = new Error(`kafka-e2e: the ${name} engine process exited (${signal ?? code}).`);
      for (const w of this.waiting.splice(0)) w.resolve({ event: 'error', message: this.exited.message });
    });
  }

  /** Spawns `command args` and waits for its `ready` line (up to `timeoutMs`). */
  static async start(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<EngineProcess> {
    const child = spawn(command, [...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const engine = new EngineProcess(name, child);
    const ready = await engine.next((e) => e.event === 'ready' || e.event === 'error', timeoutMs);
    if (ready.event !== 'ready') throw new Error(`kafka-e2e: the ${name} engine did not start: ${ready.message ?? ''}`);
    return engine;
  }

  /** False once the process has exited. */
  get alive(): boolean {
    return this.exited === null;
  }

  /** The process id (its CPU time is read from /proc by the runner). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Sends a command and waits for the answer with the same id (`started`/`stopped`, or `error`). */
  async request(command: StartCommand | { readonly cmd: 'stop'; readonly id: string }, timeoutMs: number): Promise<EngineEvent> {
    if (this.exited !== null) throw this.exited;
    const answer = this.next((e) => e.id === command.id && (e.event === 'started' || e.event === 'stopped' || e.event === 'error'), timeoutMs);
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    const e = await answer;
    if (e.event === 'error') throw new Error(`kafka-e2e: ${this.name} failed on '${command.cmd}': ${e.message ?? ''}`);
    return e;
  }

  /** Asks the process to exit and waits for it (killing it after `timeoutMs`). */
  async close(timeoutMs = 30_000): Promise<void> {
    if (this.exited !== null) return;
    const done = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.stdin.write(`${JSON.stringify({ cmd: 'exit' })}\n`);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await done;
    clearTimeout(timer);
  }

  private next(match: (e: EngineEvent) => boolean, timeoutMs: number): Promise<EngineEvent> {
    const queued = this.events.findIndex(match);
    if (queued >= 0) return Promise.resolve(this.events.splice(queued, 1)[0] as EngineEvent);
    if (this.exited !== null) return Promise.resolve({ event: 'error', message: this.exited.message });
    return new Promise((resolve) => {
      const entry = {
        match,
        resolve: (e: EngineEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve({ event: 'error', message: `no answer from ${this.name} within ${timeoutMs} ms` });
      }, timeoutMs);
      this.waiting.push(entry);
    });
  }
}

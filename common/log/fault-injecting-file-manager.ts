import { promises as fs } from 'node:fs';
import type { FileManager, RemoveTempFilesOptions, WriteAtomicOptions } from './file-manager.js';
import type { AtomicWriteInfo, AtomicWriteStep } from './local-file-manager.js';
import { LocalFileManager } from './local-file-manager.js';

/** The error a {@link FaultInjectingFileManager} throws where it simulates a crash or an I/O failure. */
export class InjectedFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InjectedFault';
  }
}

/**
 * Where to fail. `atomic-step` crashes an atomic write at a step (`torn` first cuts the temp
 * file to half its bytes, as a crash during the write would); the other kinds fail that
 * operation before it touches the disk.
 */
export type FaultPoint =
  | { readonly op: 'writeAtomic'; readonly step: AtomicWriteStep; readonly torn?: boolean }
  | { readonly op: 'readFile' | 'delete' | 'rename' | 'list' | 'mkdirs' };

/** One armed fault: where, on which paths, and how many more times it fires. */
export interface FaultSpec {
  readonly at: FaultPoint;
  /** Only paths containing this string are affected (default: all). */
  readonly pathIncludes?: string;
  /** How many matching calls fail (default 1). */
  readonly times?: number;
}

interface ArmedFault {
  readonly spec: FaultSpec;
  remaining: number;
}

/**
 * A local-disk {@link FileManager} for recovery tests that fails on demand: arm a fault
 * with {@link inject}, run the code under test, then inspect the directory the way a
 * restarted process would. Faults are one-shot unless `times` says otherwise.
 */
export class FaultInjectingFileManager implements FileManager {
  private readonly faults: ArmedFault[] = [];
  private readonly inner: LocalFileManager;
  /** Number of faults fired so far. */
  fired = 0;

  constructor() {
    this.inner = new LocalFileManager({ hook: (step, info) => this.onStep(step, info) });
  }

  /** Arms a fault. */
  inject(spec: FaultSpec): void {
    this.faults.push({ spec, remaining: spec.times ?? 1 });
  }

  /** Disarms every fault. */
  clear(): void {
    this.faults.length = 0;
  }

  async mkdirs(path: string): Promise<void> {
    this.check('mkdirs', path);
    return this.inner.mkdirs(path);
  }

  async list(dir: string): Promise<string[]> {
    this.check('list', dir);
    return this.inner.list(dir);
  }

  exists(path: string): Promise<boolean> {
    return this.inner.exists(path);
  }

  async readFile(path: string): Promise<Uint8Array> {
    this.check('readFile', path);
    return this.inner.readFile(path);
  }

  writeAtomic(path: string, data: Uint8Array | string, options?: WriteAtomicOptions): Promise<boolean> {
    return this.inner.writeAtomic(path, data, options);
  }

  async rename(from: string, to: string): Promise<void> {
    this.check('rename', from);
    return this.inner.rename(from, to);
  }

  async delete(path: string): Promise<void> {
    this.check('delete', path);
    return this.inner.delete(path);
  }

  removeTempFiles(dir: string, options?: RemoveTempFilesOptions): Promise<string[]> {
    return this.inner.removeTempFiles(dir, options);
  }

  private take(matches: (p: FaultPoint) => boolean, path: string): ArmedFault | undefined {
    const f = this.faults.find((a) => a.remaining > 0 && matches(a.spec.at) && (a.spec.pathIncludes === undefined || path.includes(a.spec.pathIncludes)));
    if (f !== undefined) {
      f.remaining--;
      this.fired++;
    }
    return f;
  }

  private check(op: FaultPoint['op'], path: string): void {
    if (this.take((p) => p.op === op, path) !== undefined) throw new InjectedFault(`Injected ${op} failure on '${path}'.`);
  }

  private async onStep(step: AtomicWriteStep, info: AtomicWriteInfo): Promise<void> {
    const f = this.take((p) => p.op === 'writeAtomic' && p.step === step, info.path);
    if (f === undefined) return;
    if (f.spec.at.op === 'writeAtomic' && f.spec.at.torn === true) await fs.truncate(info.tempPath, info.bytes.length >> 1);
    throw new InjectedFault(`Injected crash at step '${step}' of the atomic write of '${info.path}'.`);
  }
}

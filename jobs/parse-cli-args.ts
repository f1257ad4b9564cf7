import { invalidArgument } from '../common/errors.js';
import type { StreamTrigger } from '../dataframe/data-stream-writer.js';
import { parseInterval } from '../scheduler/parse-interval.js';
import type { JobMode } from './run-job.js';

/** The parsed command line of `sluice run` or `sluice replay`. */
export interface RunCommand {
  readonly jobFile: string;
  readonly mode: JobMode;
  /** Input folders by name; a bare path is stored under `''` (the job's only input). */
  readonly inputs: Readonly<Record<string, string>>;
  readonly output?: string;
  readonly checkpoint?: string;
  readonly trigger?: StreamTrigger;
  readonly maxFilesPerTrigger?: number;
  readonly workers?: number;
  /** Replay: event-time ms per wall ms, or 'max'. */
  readonly speed?: number | 'max';
  /** Replay: the reorder bound, e.g. '1 hour'. */
  readonly reorderBound?: string;
  /** Sink options from `--sink-option key=value` (override the job's own). */
  readonly sinkOptions?: Readonly<Record<string, string>>;
  /** Port of the live dashboard (`--ui <port>`, 0 for a free one); no dashboard when absent. */
  readonly ui?: number;
}

/** The usage text. */
export const USAGE = `Usage: sluice run <job file> [--mode batch|stream|available-now] [--input [name=]<folder>]...
                 [--output <folder>] [--checkpoint <folder>] [--trigger '<interval>']
                 [--max-files-per-trigger <n>] [--workers <n>] [--sink-option <key>=<value>]...
                 [--ui <port>]   serve the live dashboard on http://127.0.0.1:<port>/ (0: a free port)
       sluice replay <job file> --input [name=]<parquet folder|file|glob> [--speed <N>|max]
                 [--trigger '<event-time interval>'] [--reorder-bound '<duration>']
                 [--output <folder>] [--checkpoint <folder>] [--workers <n>] [--sink-option <key>=<value>]...
                 [--ui <port>]`;

function positiveInt(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalidArgument(`${flag} needs a positive integer, got '${raw}'.`);
  return n;
}

/** Parses `--speed`: a positive number (60 = one hour of event time per minute) or `max`. */
export function parseSpeed(raw: string): number | 'max' {
  if (raw === 'max') return 'max';
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw invalidArgument(`--speed needs a positive number (60 plays an hour of event time per minute) or 'max', got '${raw}'.`);
  return n;
}

/** Parses `run|replay <job> --flag value ...`; INVALID_ARGUMENT with the usage on mistakes. */
export function parseCliArgs(argv: readonly string[]): RunCommand {
  const [command, jobFile, ...rest] = argv;
  if ((command !== 'run' && command !== 'replay') || jobFile === undefined) throw invalidArgument(USAGE);
  const replay = command === 'replay';
  let mode: JobMode = replay ? 'replay' : 'batch';
  const inputs: Record<string, string> = {};
  const sinkOptions: Record<string, string> = {};
  const out: { -readonly [K in keyof RunCommand]?: RunCommand[K] } = {};
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i] as string;
    const value = rest[i + 1];
    if (value === undefined) throw invalidArgument(`${flag} needs a value.\n${USAGE}`);
    switch (flag) {
      case '--mode':
        if (replay) throw invalidArgument(`sluice replay has no --mode: it always replays. Use sluice run --mode ... for the other modes.`);
        if (value !== 'batch' && value !== 'stream' && value !== 'available-now')
          throw invalidArgument(`--mode must be batch, stream or available-now, got '${value}'.`);
        mode = value;
        break;
      case '--input': {
        const eq = value.indexOf('=');
        if (eq > 0) inputs[value.slice(0, eq)] = value.slice(eq + 1);
        else inputs[''] = value;
        break;
      }
      case '--sink-option': {
        const eq = value.indexOf('=');
        if (eq <= 0) throw invalidArgument(`--sink-option needs key=value, got '${value}'.`);
        sinkOptions[value.slice(0, eq)] = value.slice(eq + 1);
        break;
      }
      case '--output':
        out.output = value;
        break;
      case '--checkpoint':
        out.checkpoint = value;
        break;
      case '--trigger':
        out.trigger = { kind: 'processingTime', intervalMs: parseInterval(value) };
        break;
      case '--max-files-per-trigger':
        out.maxFilesPerTrigger = positiveInt(flag, value);
        break;
      case '--workers':
        out.workers = positiveInt(flag, value);
        break;
      case '--speed':
        if (!replay) throw invalidArgument(`--speed is an option of sluice replay.\n${USAGE}`);
        out.speed = parseSpeed(value);
        break;
      case '--reorder-bound':
        if (!replay) throw invalidArgument(`--reorder-bound is an option of sluice replay.\n${USAGE}`);
        parseInterval(value);
        out.reorderBound = value;
        break;
      case '--ui': {
        const port = Number(value);
        if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
          throw invalidArgument(`--ui needs a port from 0 to 65535 (0 picks a free port), got '${value}'.`);
        out.ui = port;
        break;
      }
      default:
        throw invalidArgument(`Unknown option '${flag}'.\n${USAGE}`);
    }
  }
  return { ...out, jobFile, mode, inputs, ...(Object.keys(sinkOptions).length > 0 ? { sinkOptions } : {}) };
}

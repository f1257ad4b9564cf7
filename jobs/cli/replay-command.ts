import type { CommandSpec } from './cli-flags.js';
import { UsageError } from './cli-flags.js';
import { RUN_SPEC } from './run-command.js';

const shared = (name: string) => RUN_SPEC.flags.find((f) => f.name === name) as CommandSpec['flags'][number];

/** `sluice replay`: flags and examples for `--help` (the command itself is `runCommand` in replay mode). */
export const REPLAY_SPEC: CommandSpec = {
  name: 'replay',
  positionals: ['<job file>'],
  short: 'Replay historical Parquet through a job in event-time order, paced by --speed.',
  summary:
    'Replays Parquet through a streaming job: rows are released in event-time order and processing time is simulated from event time, ' +
    'so processing-time triggers, transformWithState timers and timeouts fire as they would have live. Exits when the input is consumed. ' +
    'Progress goes to stderr as with sluice run.',
  flags: [
    {
      name: 'input',
      kind: 'list',
      placeholder: '[name=]<parquet folder|file|glob>',
      help: "A job input's Parquet; the name may be left out when the job has one input.",
      required: true,
    },
    {
      name: 'speed',
      kind: 'value',
      placeholder: '<N>|max',
      help: 'Event time played per unit of wall time (60 plays an hour per minute), or max for as fast as possible.',
      defaultText: 'max',
    },
    { name: 'trigger', kind: 'value', placeholder: "'<interval>'", help: 'Trigger interval in event time.', defaultText: '1 minute' },
    {
      name: 'reorder-bound',
      kind: 'value',
      placeholder: "'<duration>'",
      help: 'How far out of event-time order input rows may be; rows beyond it are counted as out of order.',
      defaultText: '1 hour',
    },
    shared('output'),
    { name: 'checkpoint', kind: 'value', placeholder: '<folder>', help: 'Checkpoint folder.', defaultText: 'a temporary folder, deleted at the end' },
    shared('sink-option'),
    shared('workers'),
    shared('ui'),
    shared('log'),
  ],
  examples: [
    'sluice replay jobs/examples/fraud-alerts.ts --input data/tx --output out/alerts --speed max',
    "sluice replay job.js --input tx=history/ --speed 60 --trigger '10 seconds' --output out",
  ],
};

/** Parses `--speed`: a positive number (60 = one hour of event time per minute) or `max`. */
export function parseSpeed(raw: string): number | 'max' {
  if (raw === 'max') return 'max';
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`--speed needs a positive number (60 plays an hour of event time per minute) or 'max', got '${raw}'.`, REPLAY_SPEC.name);
  return n;
}

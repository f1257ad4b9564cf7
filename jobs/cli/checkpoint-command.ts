import type { CheckpointReport } from '../../engine/checkpoint/inspect-checkpoint.js';
import { inspectCheckpoint } from '../../engine/checkpoint/inspect-checkpoint.js';
import type { CommandSpec, ParsedArgs } from './cli-flags.js';
import { UsageError } from './cli-flags.js';

/** `sluice checkpoint inspect`: flags and examples for `--help`. */
export const CHECKPOINT_INSPECT_SPEC: CommandSpec = {
  name: 'checkpoint inspect',
  positionals: ['<checkpoint folder>'],
  short: "Show a streaming query's checkpoint: batches, offsets, watermark, state, last error.",
  summary:
    "Shows what a streaming query's checkpoint holds: batches in the offset and commit logs, offsets per source, the watermark, " +
    'state operators with row counts and sizes, the last error, and with --output the Parquet sink log. Reads only; safe while the query runs.',
  flags: [
    { name: 'json', kind: 'switch', help: 'Print the report as one JSON object.' },
    {
      name: 'output',
      kind: 'value',
      placeholder: '<folder>',
      help: "The query's Parquet output folder, to show its sink log (_sluice_metadata/).",
      defaultText: 'sink log not shown',
    },
  ],
  examples: ['sluice checkpoint inspect ckpt/alerts', 'sluice checkpoint inspect ckpt/alerts --output out/alerts --json'],
};

function bytes(n: number): string {
  return n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

function range(ids: readonly number[]): string {
  if (ids.length === 0) return 'none';
  return ids.length === 1 ? String(ids[0]) : `${ids[0]}..${ids[ids.length - 1]} (${ids.length} kept)`;
}

/** The human-readable report. */
export function formatCheckpointReport(r: CheckpointReport): string {
  const lines = [`Checkpoint ${r.checkpoint}`, `  query id:         ${r.queryId ?? '(no metadata)'}`];
  lines.push(
    `  running:          ${r.lock === null ? 'no' : `yes, locked by pid ${String(r.lock.pid)} on ${String(r.lock.host)} since ${String(r.lock.startedAt)}`}`,
  );
  lines.push(`  offset log:       ${range(r.offsetBatches)}`, `  commit log:       ${range(r.committedBatches)}`);
  lines.push(
    `  last committed:   ${r.lastCommittedBatch ?? 'none'}${r.pendingBatch === null ? '' : `; batch ${r.pendingBatch} logged but not committed (a restart re-runs it)`}`,
  );
  lines.push(`  watermark:        ${r.watermark === null ? 'none' : `${r.watermark} (${r.watermarkMs} ms)`}`);
  lines.push(`  batch timestamp:  ${r.batchTimestamp ?? 'none'}`);
  const conf = Object.entries(r.conf);
  if (conf.length > 0) lines.push(`  pinned conf:      ${conf.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  lines.push('Sources:');
  if (r.sources.length === 0) lines.push('  none logged yet');
  for (const s of r.sources) lines.push(`  [${s.index}] committed ${s.committedOffset ?? '-'}`, `      latest    ${s.latestOffset ?? '-'}`);
  lines.push('State operators:');
  if (r.stateOperators.length === 0) lines.push('  none');
  for (const s of r.stateOperators)
    lines.push(
      `  operator ${s.operatorId}${s.storeName === null ? '' : ` store ${s.storeName}`}: ${s.rows} rows in ${s.partitions} partition(s) at version ${s.version}, ` +
        `${bytes(s.bytesOnDisk)} on disk, ${bytes(s.memoryBytes)} in memory`,
    );
  if (r.sinkLog !== null)
    lines.push('Sink log:', `  ${r.sinkLog.dir}: latest batch ${r.sinkLog.latestBatchId}, ${r.sinkLog.files} file(s), ${bytes(r.sinkLog.bytes)}`);
  lines.push('Last error:');
  if (r.lastError === null) lines.push('  none recorded');
  else
    lines.push(
      `  ${r.lastError.time} run ${r.lastError.runId}${r.lastError.batchId === null ? '' : ` batch ${r.lastError.batchId}`}: [${r.lastError.code}] ${r.lastError.message}`,
    );
  return lines.join('\n');
}

/** Runs `sluice checkpoint inspect DIR [--json] [--output OUT]`; the report goes to stdout. */
export async function checkpointInspectCommand(args: ParsedArgs): Promise<void> {
  const [dir, ...extra] = args.positionals;
  if (dir === undefined)
    throw new UsageError('sluice checkpoint inspect needs the checkpoint folder: sluice checkpoint inspect <folder>.', CHECKPOINT_INSPECT_SPEC.name);
  if (extra.length > 0) throw new UsageError(`sluice checkpoint inspect takes one folder; unexpected '${extra[0]}'.`, CHECKPOINT_INSPECT_SPEC.name);
  const output = typeof args.values.output === 'string' ? args.values.output : undefined;
  const report = await inspectCheckpoint(dir, output);
  process.stdout.write(args.values.json === true ? `${JSON.stringify(report, null, 2)}\n` : `${formatCheckpointReport(report)}\n`);
}

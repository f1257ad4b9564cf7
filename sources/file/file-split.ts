import type { Field } from '../../common/schema.js';
import type { FileEntry, FileScan } from '../../dataframe/plan/logical-plan.js';
import { FILE_IO_CONCURRENCY, mapLimit } from '../../common/map-limit.js';
import type { ParquetFooter } from './parquet-footer.js';
import { readParquetFooter } from './parquet-footer.js';
import { filePartitionValues, parsePartitionValue, partitionStat } from './partition-columns.js';
import type { ColumnRange } from './stats-pruning.js';
import { mayMatch } from './stats-pruning.js';

/**
 * One unit of scan work: a file, or some of its Parquet row groups, plus the Hive partition
 * values of its folder. Plain data, so it travels to worker threads.
 */
export interface FileSplit {
  readonly path: string;
  /** Parquet row group indexes to read, ascending; null reads the whole file. */
  readonly rowGroups: readonly number[] | null;
  /** Raw partition values from `key=value` folders (null for `__HIVE_DEFAULT_PARTITION__`). */
  readonly partitionValues: Readonly<Record<string, string | null>>;
  /**
   * The work in this split, for packing many small splits into one task: its rows for
   * Parquet (from the footer), its size in bytes for CSV and JSON. Absent: unknown.
   */
  readonly weight?: number;
  /**
   * Parquet: the rows of the split's row groups, from the footer read at planning. A scan
   * that needs no data column (`count()`) takes its row count from here without opening
   * the file again.
   */
  readonly rows?: number;
  /** The file's size in bytes from the listing (a small Parquet file is read whole, in one read). */
  readonly size?: number;
  /** Parquet: the footer's schema fingerprint (see `ParquetFooter.schemaKey`), so a reader checks each distinct schema once. */
  readonly schemaKey?: string;
}

/** Whether pushed filters may match a file's partition values (false: skip the whole file). */
function partitionMayMatch(scan: FileScan, file: FileEntry, values: Readonly<Record<string, string | null>>): boolean {
  if (scan.pushedFilters.length === 0) return true;
  const byName = new Map<string, Field>(scan.dataSchema.fields.map((f) => [f.name, f]));
  const lookup = (name: string): ColumnRange | null => {
    const f = byName.get(name);
    if (!f || !Object.hasOwn(values, name)) return null;
    const v = parsePartitionValue(values[name] ?? null, f, file.path);
    const stat = partitionStat(v, f.type);
    return { type: f.type, min: stat, max: stat, nullCount: stat === null ? 1 : 0, numRows: 1 };
  };
  return scan.pushedFilters.every((e) => mayMatch(e, lookup));
}

/**
 * Plans the splits of a file scan. Files whose partition values contradict a pushed filter
 * are skipped. Parquet files are split by row group: row groups whose min/max statistics
 * prove a pushed filter (see {@link mayMatch}) matches no row are dropped and counted in
 * `rowGroupsSkipped`; consecutive row groups of a file are packed into about `targetSplits`
 * splits of similar row counts (a split never spans files). CSV and JSON give one split per file.
 */
export async function planFileSplits(scan: FileScan, targetSplits: number): Promise<{ splits: FileSplit[]; rowGroupsSkipped: number }> {
  const splits: FileSplit[] = [];
  let rowGroupsSkipped = 0;
  const byName = new Map<string, Field>(scan.dataSchema.fields.map((f) => [f.name, f]));
  const kept: { path: string; values: Readonly<Record<string, string | null>>; groups: { index: number; rows: number }[]; size: number; schemaKey: string }[] =
    [];
  let totalRows = 0;
  // Footers are read in parallel (bounded): one await per file in turn dominated scans of many small files.
  const footers = scan.format === 'parquet' ? await mapLimit(scan.files, FILE_IO_CONCURRENCY, (f) => readParquetFooter(f.path, f)) : null;
  for (const [fileIndex, file] of scan.files.entries()) {
    const values = filePartitionValues(file.path, scan.options);
    if (!partitionMayMatch(scan, file, values)) {
      if (footers !== null) rowGroupsSkipped += (footers[fileIndex] as ParquetFooter).rowGroups.length;
      continue;
    }
    if (footers === null) {
      splits.push({ path: file.path, rowGroups: null, partitionValues: values, weight: file.size });
      continue;
    }
    const footer = footers[fileIndex] as ParquetFooter;
    const groups: { index: number; rows: number }[] = [];
    footer.rowGroups.forEach((rg, index) => {
      const lookup = (name: string): ColumnRange | null => {
        const f = byName.get(name);
        const st = rg.columns.get(name);
        if (!f || !st || Object.hasOwn(values, name)) return null;
        return { type: f.type, min: st.min, max: st.max, nullCount: st.nullCount, numRows: rg.numRows };
      };
      if (rg.numRows > 0 && scan.pushedFilters.every((e) => mayMatch(e, lookup))) groups.push({ index, rows: rg.numRows });
      else rowGroupsSkipped++;
    });
    if (groups.length > 0) {
      kept.push({ path: file.path, values, groups, size: file.size, schemaKey: footer.schemaKey });
      totalRows += groups.reduce((s, g) => s + g.rows, 0);
    }
  }
  const target = Math.max(1, Math.ceil(totalRows / Math.max(1, targetSplits)));
  for (const k of kept) {
    let current: number[] = [];
    let rows = 0;
    for (const g of k.groups) {
      if (current.length > 0 && rows + g.rows > target) {
        splits.push({ path: k.path, rowGroups: current, partitionValues: k.values, weight: rows, rows, size: k.size, schemaKey: k.schemaKey });
        current = [];
        rows = 0;
      }
      current.push(g.index);
      rows += g.rows;
    }
    if (current.length > 0)
      splits.push({ path: k.path, rowGroups: current, partitionValues: k.values, weight: rows, rows, size: k.size, schemaKey: k.schemaKey });
  }
  return { splits, rowGroupsSkipped };
}

/**
 * Packs consecutive splits into groups (one group per worker task) of about
 * `total weight / targetGroups` each, so many small files cost a few tasks instead of one
 * task (and one worker round trip) per file; big splits stay one per group. Order is kept:
 * reading the groups in order reads the splits in order.
 */
export function packSplits(splits: readonly FileSplit[], targetGroups: number): FileSplit[][] {
  if (splits.length === 0) return [];
  const weightOf = (s: FileSplit): number => Math.max(1, s.weight ?? 1);
  const total = splits.reduce((sum, s) => sum + weightOf(s), 0);
  const target = Math.max(1, total / Math.max(1, targetGroups));
  const groups: FileSplit[][] = [];
  let current: FileSplit[] = [];
  let weight = 0;
  for (const s of splits) {
    const w = weightOf(s);
    if (current.length > 0 && weight + w > target * 1.0001) {
      groups.push(current);
      current = [];
      weight = 0;
    }
    current.push(s);
    weight += w;
  }
  groups.push(current);
  return groups;
}

import type { Field } from '../../common/schema.js';
import type { FileEntry, FileScan } from '../../dataframe/plan/logical-plan.js';
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
  const kept: { path: string; values: Readonly<Record<string, string | null>>; groups: { index: number; rows: number }[] }[] = [];
  let totalRows = 0;
  for (const file of scan.files) {
    const values = filePartitionValues(file.path, scan.options);
    if (!partitionMayMatch(scan, file, values)) {
      if (scan.format === 'parquet') rowGroupsSkipped += (await readParquetFooter(file.path)).rowGroups.length;
      continue;
    }
    if (scan.format !== 'parquet') {
      splits.push({ path: file.path, rowGroups: null, partitionValues: values });
      continue;
    }
    const footer = await readParquetFooter(file.path);
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
      kept.push({ path: file.path, values, groups });
      totalRows += groups.reduce((s, g) => s + g.rows, 0);
    }
  }
  const target = Math.max(1, Math.ceil(totalRows / Math.max(1, targetSplits)));
  for (const k of kept) {
    let current: number[] = [];
    let rows = 0;
    for (const g of k.groups) {
      if (current.length > 0 && rows + g.rows > target) {
        splits.push({ path: k.path, rowGroups: current, partitionValues: k.values });
        current = [];
        rows = 0;
      }
      current.push(g.index);
      rows += g.rows;
    }
    if (current.length > 0) splits.push({ path: k.path, rowGroups: current, partitionValues: k.values });
  }
  return { splits, rowGroupsSkipped };
}

/**
 * Spark's window-only functions (ranking, offset and frame-value functions). They are
 * aggregate-call nodes (`kind: 'agg'`) so that `.over(w)` takes them like any aggregate,
 * but they only run over a window: `groupBy().agg(rank())` is rejected at plan build.
 */
export type WindowFunctionName = 'rowNumber' | 'rank' | 'denseRank' | 'percentRank' | 'cumeDist' | 'ntile' | 'lag' | 'lead' | 'firstValue' | 'lastValue';

/** The window-only functions, by their DataFrame (camelCase of Spark SQL) names. */
export const WINDOW_FUNCTION_NAMES: ReadonlySet<string> = new Set<WindowFunctionName>([
  'rowNumber',
  'rank',
  'denseRank',
  'percentRank',
  'cumeDist',
  'ntile',
  'lag',
  'lead',
  'firstValue',
  'lastValue',
]);

/** Spark SQL names of the window-only functions, for display (`row_number() OVER (...)`). */
export const WINDOW_FUNCTION_SQL_NAMES: Readonly<Record<WindowFunctionName, string>> = {
  rowNumber: 'row_number',
  rank: 'rank',
  denseRank: 'dense_rank',
  percentRank: 'percent_rank',
  cumeDist: 'cume_dist',
  ntile: 'ntile',
  lag: 'lag',
  lead: 'lead',
  firstValue: 'first_value',
  lastValue: 'last_value',
};

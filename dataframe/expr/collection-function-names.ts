/**
 * Array and map functions (Spark's collection functions), by their DataFrame names (the
 * camelCase of Spark's SQL names). `getItem` is `col(x).getItem(k)`: a 0-based array index
 * or a map key. Signatures live in `catalog-collections.ts`, kernels in
 * `engine/eval/collection-kernels.ts`.
 */
export type CollectionFunctionName =
  | 'array'
  | 'arrayContains'
  | 'size'
  | 'elementAt'
  | 'getItem'
  | 'arrayJoin'
  | 'sortArray'
  | 'arrayDistinct'
  | 'arrayMax'
  | 'arrayMin'
  | 'map'
  | 'mapKeys'
  | 'mapValues'
  | GeneratorFunctionName;

/**
 * The explode family (Spark's generators): one output row per element. Only allowed as a
 * whole select()/withColumn() expression; the projection builder turns it into a
 * `generate` plan node (see `plan/builders/build-generate.ts`).
 */
export type GeneratorFunctionName = 'explode' | 'explodeOuter' | 'posexplode' | 'posexplodeOuter';

/** The generator functions. */
export const GENERATOR_FUNCTIONS: ReadonlySet<string> = new Set<GeneratorFunctionName>(['explode', 'explodeOuter', 'posexplode', 'posexplodeOuter']);

/** Spark SQL names of the collection functions, for display. */
export const COLLECTION_FUNCTION_SQL_NAMES: Readonly<Record<CollectionFunctionName, string>> = {
  array: 'array',
  arrayContains: 'array_contains',
  size: 'size',
  elementAt: 'element_at',
  getItem: 'get_item',
  arrayJoin: 'array_join',
  sortArray: 'sort_array',
  arrayDistinct: 'array_distinct',
  arrayMax: 'array_max',
  arrayMin: 'array_min',
  map: 'map',
  mapKeys: 'map_keys',
  mapValues: 'map_values',
  explode: 'explode',
  explodeOuter: 'explode_outer',
  posexplode: 'posexplode',
  posexplodeOuter: 'posexplode_outer',
};

/** The collection functions (never constant-folded: literals hold no arrays or maps). */
export const COLLECTION_FUNCTIONS: ReadonlySet<string> = new Set(Object.keys(COLLECTION_FUNCTION_SQL_NAMES));

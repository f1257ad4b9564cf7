import { types, typeName } from '../../common/data-type.js';
import { typeMismatchError } from '../../common/errors.js';
import type { AnalyzedExpr } from './analyze-expr.js';
import { apiCallName } from './api-call-name.js';
import { resolved, stringArg } from './catalog-args.js';
import type { LibraryValueFn } from './catalog-strings.js';
import { exprOutputName } from './expr-to-string.js';
import type { FunctionSpec } from './function-catalog.js';
import { getJsonObject } from './json-path.js';

/** The JSON functions of the library (fromJson predates it and lives in the main catalog as from_json). */
export type JsonLibraryName = 'toJson' | 'getJsonObject';

/** Catalog entries of the JSON library. */
export const JSON_CATALOG: Readonly<Record<JsonLibraryName, FunctionSpec>> = {
  toJson: {
    doc: "to_json(s): a struct, array or map as a JSON string; null fields are left out, timestamps written as yyyy-MM-dd'T'HH:mm:ss.SSSZ (UTC), dates as yyyy-MM-dd.",
    arity: [1, 1],
    resolve: (args, call) => {
      const a = args[0] as AnalyzedExpr;
      if (a.type.kind !== 'struct' && a.type.kind !== 'list' && a.type.kind !== 'map')
        throw typeMismatchError(
          `${apiCallName(call)} needs a struct, array or map column, but ${exprOutputName(a.expr)} is ${typeName(a.type)}. Wrap columns with struct(...) first.`,
        );
      return resolved([a], types.utf8);
    },
  },
  getJsonObject: {
    doc: "get_json_object(json, path): the value at JSONPath `path` ('$.a.b', '$.items[0]', '$.items[*].id') as a string (strings unquoted, other values as JSON); null when absent or invalid.",
    arity: [2, 2],
    resolve: (args, call) => ({ args: [stringArg(args[0] as AnalyzedExpr, call), stringArg(args[1] as AnalyzedExpr, call)], type: types.utf8, nullable: true }),
  },
};

/** Per-value implementations (toJson has no literal form and is never folded). */
export const JSON_VALUES: Readonly<Record<JsonLibraryName, LibraryValueFn | null>> = {
  toJson: null,
  getJsonObject: (a) => getJsonObject(a[0] as string, a[1] as string),
};

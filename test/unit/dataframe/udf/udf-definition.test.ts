import { describe, expect, it } from 'vitest';
import { types } from '../../../../common/data-type.js';
import { exprToString } from '../../../../dataframe/expr/expr-to-string.js';
import { col } from '../../../../dataframe/expr/functions.js';
import { UdfRegistry } from '../../../../dataframe/udf/udf-registry.js';
import { udf, udfFromModule, vectorizedUdf } from '../../../../dataframe/udf/user-defined-function.js';
import { collectUdfRefs } from '../../../../engine/udf/collect-udf-refs.js';
import { assertShippable } from '../../../../engine/udf/check-shippable.js';

const MODULE = 'file:///opt/app/udfs.js';

describe('defining UDFs', () => {
  it('a module UDF is plain data naming the module, the export and the declared type', () => {
    const f = udf({ module: MODULE, export: 'normalise' }, 'string');
    const c = f(col('name'), 'other');
    expect(c.expr).toEqual({
      kind: 'udf',
      udf: { name: 'normalise', module: MODULE, exportName: 'normalise', inlineId: null, returnType: types.utf8, vectorized: false },
      args: [
        { kind: 'col', name: 'name', qualifier: null },
        { kind: 'col', name: 'other', qualifier: null },
      ],
    });
    expect(structuredClone(c.expr)).toEqual(c.expr);
    expect(exprToString(c.expr)).toBe('normalise(name, other)');
    expect(f.name).toBe('normalise');
    expect(f.withName('clean')(col('x')).expr).toMatchObject({ udf: { name: 'clean', exportName: 'normalise' } });
  });

  it('takes absolute paths and URL objects for the module, and DataType return types', () => {
    expect(udfFromModule('/opt/app/udfs.js', 'scale', types.float64, { vectorized: true }).ref).toMatchObject({
      module: MODULE,
      vectorized: true,
      returnType: types.float64,
    });
    expect(vectorizedUdf({ module: new URL(MODULE), export: 'scale' }, 'array<int>').returnType).toEqual(types.list(types.int32));
  });

  it('refuses bad definitions with messages that say what to give', () => {
    expect(() => udf({ module: MODULE, export: 'f' }, 'decimal(40,2)')).toThrow("udf() needs a return type such as 'double', 'string'");
    expect(() => udf({ module: './udfs.js', export: 'f' }, 'int')).toThrow('needs the module as a file URL or an absolute path (import.meta.url');
    expect(() => udf({ module: MODULE, export: '' }, 'int')).toThrow("needs the export's name as a string");
    expect(() => udf(42 as never, 'int')).toThrow("needs a function or { module: import.meta.url, export: 'name' }, got number 42.");
    expect(() => vectorizedUdf({ module: MODULE, export: 'f' }, 'int')()).toThrow("Vectorized UDF 'f' needs at least one column argument");
  });

  it('an inline closure is kept by id; a plan holding it cannot be shipped to workers', () => {
    const shout = udf((s: string) => s.toUpperCase(), 'string', { name: 'shout' });
    const e = shout(col('a')).expr;
    expect(collectUdfRefs({ plan: [e] })).toEqual([expect.objectContaining({ name: 'shout', module: null, inlineId: expect.any(Number) })]);
    expect(() => assertShippable({ exprs: [e] })).toThrow("UDF 'shout' is a closure defined inline");
    expect(() => assertShippable({ exprs: [udf({ module: MODULE, export: 'f' }, 'int')(col('a')).expr] })).not.toThrow();
  });
});

describe('the UDF registry', () => {
  it('registers under a case-insensitive name and looks up, suggesting the closest name', () => {
    const r = new UdfRegistry();
    const f = r.register('clean_name', udf({ module: MODULE, export: 'normalise' }, 'string'));
    expect(f.ref.name).toBe('clean_name');
    expect(r.lookup('CLEAN_NAME')?.ref.exportName).toBe('normalise');
    expect(r.lookup('nope')).toBeUndefined();
    expect(r.names()).toEqual(['clean_name']);
    expect(() => r.get('clean_nme')).toThrow("Unknown function 'clean_nme'. Did you mean 'clean_name'? Registered UDFs: clean_name.");
    expect(() => r.register('1bad', f)).toThrow('needs a function name made of letters');
    expect(() => r.register('ok', ((x: number) => x) as never)).toThrow('needs a UDF made by udf(), vectorizedUdf() or udfFromModule()');
    const direct = r.register('Scale', { module: MODULE, export: 'scaleRow' }, 'double');
    expect(direct.ref).toMatchObject({ name: 'Scale', exportName: 'scaleRow', returnType: types.float64, vectorized: false });
    expect(r.lookup('scale')).toBe(direct);
  });
});

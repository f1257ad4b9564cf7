import type { ColumnVector } from '../../common/column-vector.js';
import type { DataType } from '../../common/data-type.js';
import type { BoundKeyColumn, KeyStore } from './key-store.js';

const ALWAYS_EQUAL: BoundKeyColumn = {
  equals: () => true,
  append: () => {},
};

/** Key store of a null-typed column: every row is null, so every row is equal. */
export class NullKeyStore implements KeyStore {
  constructor(readonly type: DataType) {}

  reserve(): void {}

  appendNull(): void {}

  bind(): BoundKeyColumn {
    return ALWAYS_EQUAL;
  }

  toVector(size: number): ColumnVector {
    return { type: this.type, length: size, validity: null, values: new Uint8Array(0) };
  }

  memoryBytes(): number {
    return 0;
  }
}

// Development entry for worker threads when Sluice runs from TypeScript sources (tests,
// tsx): load the TypeScript task handler through tsx. Built code uses worker-entry.js.
import { tsImport } from 'tsx/esm/api';

const mod = await tsImport('./worker-entry.ts', import.meta.url);
export default mod.default;

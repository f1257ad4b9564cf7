// Development entry for state executor threads when Sluice runs from TypeScript sources
// (tests, tsx): load the TypeScript executor through tsx. Built code uses state-executor-worker.js.
import { tsImport } from 'tsx/esm/api';

await tsImport('./state-executor-worker.ts', import.meta.url);

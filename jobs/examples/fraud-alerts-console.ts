import { defineJob } from '../job-definition.js';
import fraud from './fraud-alerts.js';

/**
 * Example job: the fraud-alerts rule (see fraud-alerts.ts) with its alerts printed to the
 * console, one table per micro-batch (batch mode prints them once). Needs no output folder:
 * `sluice run dist/jobs/examples/fraud-alerts-console.js --mode stream --input transactions=in/`.
 */
export default defineJob({ ...fraud, name: 'fraud-alerts-console', sink: { format: 'console' } });

import { AvailableNowExecutor } from './available-now-executor.js';
import type { Clock } from './clock.js';
import { OnceExecutor } from './once-executor.js';
import type { ProcessingTimeExecutorOptions } from './processing-time-executor.js';
import { ProcessingTimeExecutor } from './processing-time-executor.js';
import type { Trigger } from './trigger.js';
import type { TriggerExecutor } from './trigger-executor.js';

/** The executor of a trigger. */
export function createTriggerExecutor(trigger: Trigger, clock: Clock, options: ProcessingTimeExecutorOptions = {}): TriggerExecutor {
  switch (trigger.kind) {
    case 'processingTime':
      return new ProcessingTimeExecutor(trigger.intervalMs, clock, options);
    case 'once':
      return new OnceExecutor();
    case 'availableNow':
      return new AvailableNowExecutor();
  }
}

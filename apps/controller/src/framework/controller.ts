// What the manager knows of a controller: a name, and a run loop that ends when the signal aborts.
// Each controller gets the shared pieces through ControllerContext and builds its own runner,
// informer handlers and sync function.
import type { KubeClient } from '@kite/client';
import type { Logger } from '@kite/component-base';
import type { Recorder } from './events.js';
import type { InformerFactory } from './informers.js';
import type { ControllerMetrics } from './metrics.js';

export interface Controller {
  readonly name: string;
  /** Runs until `signal` aborts; resolves once the workers have finished their current syncs. */
  run(signal: AbortSignal): Promise<void>;
  /** Keys waiting, for the queue-depth metric. */
  depth(): number;
}

export interface ControllerContext {
  client: KubeClient;
  informers: InformerFactory;
  recorder: Recorder;
  logger: Logger;
  metrics?: ControllerMetrics;
  /** The clock controllers read (epoch ms); a test can move it. */
  now: () => number;
}

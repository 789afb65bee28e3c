// Prometheus metrics shared by every controller of the manager: syncs by controller and result,
// their latency, and workqueue depth (BRIEF §6).
import { Counter, Gauge, Histogram, type Registry } from '@kite/component-base';

/** Latency buckets of one sync, in seconds: most take a millisecond, a 1,000-pod burst seconds. */
const SYNC_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The workqueue depth of each running controller, read at each scrape. */
export type QueueDepths = () => Iterable<readonly [controller: string, depth: number]>;

export class ControllerMetrics {
  private readonly syncs: Counter<'controller' | 'result'>;
  private readonly latency: Histogram<'controller'>;

  constructor(registry: Registry, depths: QueueDepths = () => []) {
    this.syncs = new Counter({ name: 'controller_syncs_total', help: 'Syncs by controller and result.', labelNames: ['controller', 'result'], registers: [registry] });
    this.latency = new Histogram({ name: 'controller_sync_duration_seconds', help: 'Duration of one sync.', labelNames: ['controller'], buckets: SYNC_BUCKETS, registers: [registry] });
    new Gauge({
      name: 'controller_workqueue_depth',
      help: 'Keys waiting per controller.',
      labelNames: ['controller'],
      registers: [registry],
      collect() {
        for (const [controller, depth] of depths()) this.set({ controller }, depth);
      },
    });
  }

  observe(controller: string, result: 'success' | 'error', ms: number): void {
    this.syncs.inc({ controller, result });
    this.latency.observe({ controller }, ms / 1000);
  }
}

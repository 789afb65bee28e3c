// The scheduler's Prometheus metrics (BRIEF §6), named after kube-scheduler's where one exists.
//
//   scheduler_pending_pods{queue}                     gauge: active, backoff, unschedulable, in_flight
//   scheduler_schedule_attempts_total{result}         counter: scheduled, unschedulable, error
//   scheduler_scheduling_attempt_duration_seconds{result}  histogram: one cycle's decision time
//   scheduler_pod_scheduling_sli_duration_seconds     histogram: first attempt → bound
//   scheduler_binding_duration_seconds                histogram: the binding request
//   scheduler_cache_size{type}                        gauge: nodes, pods, assumed_pods
//   scheduler_events_dropped_total                    counter: events not written (backlog full)
//   scheduler_is_leader                               gauge: 1 while this copy holds the lease
import { Counter, createMetricsRegistry, Gauge, Histogram, type Registry } from '@kite/component-base';

export const RESULT_SCHEDULED = 'scheduled';
export const RESULT_UNSCHEDULABLE = 'unschedulable';
export const RESULT_ERROR = 'error';
export type AttemptResult = typeof RESULT_SCHEDULED | typeof RESULT_UNSCHEDULABLE | typeof RESULT_ERROR;

/** Buckets from 0.1 ms to ~16 s: a cycle takes well under a millisecond, a queued pod seconds. */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16];

export interface QueueGauge {
  lengths(): { active: number; backoff: number; unschedulable: number; inFlight: number };
}
export interface CacheGauge {
  nodeList(): readonly unknown[];
  podCount(): number;
  assumedCount(): number;
}

export class SchedulerMetrics {
  readonly registry: Registry;
  readonly attempts: Counter<'result'>;
  readonly attemptDuration: Histogram<'result'>;
  readonly podSchedulingDuration: Histogram;
  readonly bindingDuration: Histogram;
  readonly eventsDropped: Counter;
  readonly isLeader: Gauge;

  constructor(registry: Registry = createMetricsRegistry('scheduler')) {
    this.registry = registry;
    const registers = [registry];
    this.attempts = new Counter({ name: 'scheduler_schedule_attempts_total', help: 'Scheduling attempts by result.', labelNames: ['result'], registers });
    this.attemptDuration = new Histogram({
      name: 'scheduler_scheduling_attempt_duration_seconds',
      help: 'Time to decide one pod (filter, score, select), by result.',
      labelNames: ['result'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.podSchedulingDuration = new Histogram({
      name: 'scheduler_pod_scheduling_sli_duration_seconds',
      help: 'Time from a pod first being tried to its binding, over all attempts.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.bindingDuration = new Histogram({ name: 'scheduler_binding_duration_seconds', help: 'Duration of binding requests.', buckets: LATENCY_BUCKETS, registers });
    this.eventsDropped = new Counter({ name: 'scheduler_events_dropped_total', help: 'Events not written because the backlog was full.', registers });
    this.isLeader = new Gauge({ name: 'scheduler_is_leader', help: '1 while this scheduler holds the leader lease.', registers });
  }

  /** Gauges read from the queue and cache at scrape time. */
  watch(queue: QueueGauge, cache: CacheGauge): void {
    const registers = [this.registry];
    new Gauge({
      name: 'scheduler_pending_pods',
      help: 'Pending pods by queue.',
      labelNames: ['queue'],
      registers,
      collect() {
        const l = queue.lengths();
        this.set({ queue: 'active' }, l.active);
        this.set({ queue: 'backoff' }, l.backoff);
        this.set({ queue: 'unschedulable' }, l.unschedulable);
        this.set({ queue: 'in_flight' }, l.inFlight);
      },
    });
    new Gauge({
      name: 'scheduler_cache_size',
      help: 'Objects in the scheduler cache.',
      labelNames: ['type'],
      registers,
      collect() {
        this.set({ type: 'nodes' }, cache.nodeList().length);
        this.set({ type: 'pods' }, cache.podCount());
        this.set({ type: 'assumed_pods' }, cache.assumedCount());
      },
    });
  }
}

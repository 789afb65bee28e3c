// The proxy's Prometheus metrics (BRIEF §6), per Service port: requests by status code, errors by
// reason, retries, latency, and ready endpoints; plus listener states and sync timing for the
// proxy itself. Label values are `namespace/name` and the port name, so cardinality is bounded by
// the cluster's Services; a removed Service's series are dropped (`forget`).
//
// Per pod: `kite_proxy_endpoint_requests_total{namespace,service,pod}` counts the requests sent to
// each pod (pod from the endpoint's targetRef, '' without one); the apiserver scrapes it into the
// `http_requests_per_second` custom metric, which the HPA and the scale-to-zero controller read.
// A pod's series lives while the pod is a ready endpoint of the Service (`PodRequestCounter.retain`),
// so cardinality follows the ready pods. The activator (activator/) adds held requests and
// activations per Service.
//
// Raw TCP connections and UDP sessions (l4/) count in the per-pod counter, errors and retries;
// requests by status code and latency are the HTTP path's alone, since only it has a status.
import { Counter, Gauge, Histogram, type Registry } from '@kite/component-base';

/** Why a request failed in the proxy (not in the backend). */
export const ErrorReasons = {
  /** The Service had no ready endpoint: answered 503 at once (raw TCP: reset; UDP: dropped). */
  NoEndpoints: 'no_endpoints',
  /** Every endpoint tried refused or reset the connection before answering: 502 (raw TCP: reset). */
  Upstream: 'upstream',
  /** The backend broke the connection after its response had started: the response was cut. */
  Aborted: 'aborted',
  /** Held for a Service at zero replicas, no endpoint became ready within --activator-timeout: 503. */
  ActivationTimeout: 'activation_timeout',
  /** A UDP datagram from a new client while its listener already kept MAX_UDP_SESSIONS sessions: dropped. */
  UdpSessionsFull: 'udp_sessions_full',
  /** Held for a Service at zero replicas while --activator-queue-limit requests were already held: 503. */
  ActivationQueueFull: 'activation_queue_full',
} as const;
export type ErrorReason = (typeof ErrorReasons)[keyof typeof ErrorReasons];

/** Latency buckets in seconds: sub-millisecond proxy overhead up to slow backends. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SYNC_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1];
const SERVICE_LABELS = ['service', 'port'] as const;

export class ProxyMetrics {
  readonly requests: Counter<'service' | 'port' | 'code'>;
  readonly errors: Counter<'service' | 'port' | 'reason'>;
  readonly retries: Counter<'service' | 'port'>;
  readonly latency: Histogram<'service' | 'port'>;
  readonly endpoints: Gauge<'service' | 'port'>;
  readonly listeners: Gauge<'state'>;
  readonly syncDuration: Histogram;
  readonly endpointRequests: Counter<'namespace' | 'service' | 'pod'>;
  readonly heldRequests: Gauge<'service'>;
  readonly activations: Counter<'service'>;
  private readonly podCounters = new Map<string, PodRequestCounter>();

  /** `now` (epoch ms) times the per-pod series' grace (PodRequestCounter.retain); a test can move it. */
  constructor(
    registry: Registry,
    private readonly now: () => number = Date.now,
  ) {
    const registers = [registry];
    this.requests = new Counter({ name: 'kite_proxy_requests_total', help: 'Requests proxied, by Service port and status code', labelNames: [...SERVICE_LABELS, 'code'], registers });
    this.errors = new Counter({ name: 'kite_proxy_request_errors_total', help: 'Requests the proxy could not forward, by reason', labelNames: [...SERVICE_LABELS, 'reason'], registers });
    this.retries = new Counter({ name: 'kite_proxy_retries_total', help: 'Attempts repeated on another endpoint after a refused or reset connection', labelNames: SERVICE_LABELS, registers });
    this.latency = new Histogram({ name: 'kite_proxy_request_duration_seconds', help: 'Time from request to the end of the response', labelNames: SERVICE_LABELS, buckets: LATENCY_BUCKETS, registers });
    this.endpoints = new Gauge({ name: 'kite_proxy_ready_endpoints', help: 'Ready endpoints per Service port', labelNames: SERVICE_LABELS, registers });
    this.listeners = new Gauge({ name: 'kite_proxy_listeners', help: 'Listeners by state (bound, binding, standby, failed)', labelNames: ['state'], registers });
    this.syncDuration = new Histogram({ name: 'kite_proxy_sync_duration_seconds', help: 'Time to apply one batch of Service and EndpointSlice changes', buckets: SYNC_BUCKETS, registers });
    this.endpointRequests = new Counter({ name: 'kite_proxy_endpoint_requests_total', help: 'Requests forwarded to each pod of a Service (pod from the endpoint targetRef)', labelNames: ['namespace', 'service', 'pod'], registers });
    this.heldRequests = new Gauge({ name: 'kite_proxy_activator_held_requests', help: 'Requests held while a Service at zero replicas gets its first ready endpoint', labelNames: ['service'], registers });
    this.activations = new Counter({ name: 'kite_proxy_activator_activations_total', help: 'Activations started: a request held for a Service at zero replicas with none held before', labelNames: ['service'], registers });
  }

  route(service: string, port: string): RouteMetrics {
    return new RouteMetrics(this, service, port);
  }

  /** The per-pod counter of Service `namespace/name`, the same object for every port of it. */
  pods(serviceKey: string): PodRequestCounter {
    let c = this.podCounters.get(serviceKey);
    if (!c) this.podCounters.set(serviceKey, (c = new PodRequestCounter(this.endpointRequests, serviceKey, this.now)));
    return c;
  }

  /** Drops the per-pod series of a removed Service. */
  forgetPods(serviceKey: string): void {
    this.podCounters.get(serviceKey)?.retain(new Set(), 0);
    this.podCounters.delete(serviceKey);
  }
}

/** How long the series of a pod that is not a ready endpoint survives its last request: two default --metric-resolution scrapes, and then some. */
export const RECENT_REQUEST_GRACE_MS = 60_000;

/** Requests forwarded to each pod of one Service, with the label children cached. */
export class PodRequestCounter {
  private readonly children = new Map<string, { series: Counter.Internal; lastAt: number }>();
  private readonly namespace: string;
  private readonly service: string;

  constructor(
    private readonly counter: Counter<'namespace' | 'service' | 'pod'>,
    serviceKey: string,
    private readonly now: () => number = Date.now,
  ) {
    const slash = serviceKey.indexOf('/');
    this.namespace = serviceKey.slice(0, slash);
    this.service = serviceKey.slice(slash + 1);
  }

  inc(pod: string): void {
    let c = this.children.get(pod);
    if (!c) this.children.set(pod, (c = { series: this.counter.labels({ namespace: this.namespace, service: this.service, pod }), lastAt: 0 }));
    c.series.inc();
    c.lastAt = this.now();
  }

  /**
   * Drops the series of every pod not in `pods` (no longer a ready endpoint) and not counted in
   * the last `graceMs`. The grace keeps the count of a pod the activator sent requests to before
   * any EndpointSlice named it ready (the slice may still say not ready, or not exist yet), and
   * lets the apiserver's next scrape see a departed pod's last requests.
   */
  retain(pods: ReadonlySet<string>, graceMs = RECENT_REQUEST_GRACE_MS): void {
    const now = this.now();
    for (const [pod, c] of this.children) {
      if (pods.has(pod) || now - c.lastAt < graceMs) continue;
      this.children.delete(pod);
      this.counter.remove({ namespace: this.namespace, service: this.service, pod });
    }
  }
}

/**
 * One Service port's series, with the label children cached (a child is a map lookup cheaper than
 * labelling each request) and every series it created remembered, so `forget` can drop them all.
 */
export class RouteMetrics {
  private readonly codes = new Map<number, Counter.Internal>();
  private readonly reasons = new Set<ErrorReason>();
  private readonly labels: { service: string; port: string };
  private readonly latency: Histogram.Internal<'service' | 'port'>;
  private readonly pods: PodRequestCounter;

  constructor(
    private readonly m: ProxyMetrics,
    service: string,
    port: string,
  ) {
    this.labels = { service, port };
    this.latency = m.latency.labels(this.labels);
    this.pods = m.pods(service);
  }

  /** One request (or attempt, after a refused connection) sent to `pod`. */
  forwarded(pod: string): void {
    this.pods.inc(pod);
  }

  request(code: number, seconds: number): void {
    let c = this.codes.get(code);
    if (!c) this.codes.set(code, (c = this.m.requests.labels({ ...this.labels, code: String(code) })));
    c.inc();
    this.latency.observe(seconds);
  }

  error(reason: ErrorReason): void {
    this.reasons.add(reason);
    this.m.errors.inc({ ...this.labels, reason });
  }

  retry(): void {
    this.m.retries.inc(this.labels);
  }

  endpoints(n: number): void {
    this.m.endpoints.set(this.labels, n);
  }

  forget(): void {
    for (const code of this.codes.keys()) this.m.requests.remove({ ...this.labels, code: String(code) });
    for (const reason of this.reasons) this.m.errors.remove({ ...this.labels, reason });
    for (const m of [this.m.retries, this.m.latency, this.m.endpoints]) m.remove(this.labels);
  }
}

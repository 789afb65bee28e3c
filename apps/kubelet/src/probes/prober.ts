// Runs the startup, liveness and readiness probes of each running container instance on their
// periods and thresholds, and reports a change of outcome to the pod worker, which acts on it
// (restart on liveness failure, flip Ready on readiness). Until a startup probe succeeds the other
// two do not run, as in Kubernetes.
import type { ContainerObj, ProbeObj } from '../objects.js';
import { runCheck, type Exec } from './check.js';

export type ProbeKind = 'startup' | 'liveness' | 'readiness';

export interface ProbeState {
  /** Startup done (or no startup probe). */
  started: boolean;
  /** Readiness passed (or no readiness probe, once started). */
  ready: boolean;
  /** Liveness or startup crossed its failure threshold: the container must be restarted. */
  failed?: { kind: ProbeKind; message: string };
}

export interface ProbeTarget {
  containerId: string;
  container: ContainerObj;
  podIP: string;
  exec: Exec;
  onChange(state: ProbeState): void;
  /** Emits an Unhealthy event for a failed check. */
  onUnhealthy(kind: ProbeKind, message: string): void;
}

interface Runner {
  timer?: NodeJS.Timeout;
  successes: number;
  failures: number;
}

export class ContainerProber {
  private readonly runners = new Map<ProbeKind, Runner>();
  private readonly state: ProbeState;
  private stopped = false;
  private settleFirst: (() => void) | undefined;
  /**
   * Settles once the first verdict on readiness that comes at once is in: right after the
   * initial state is reported, or — for a readiness probe without startup probe or initial
   * delay — once its first check ran. The kubelet waits for it (bounded) before it reports a
   * container that just started, so that one status write says Running and Ready together.
   */
  readonly firstVerdict: Promise<void>;

  constructor(private readonly t: ProbeTarget) {
    const c = t.container;
    this.state = { started: !c.startupProbe, ready: !c.readinessProbe && !c.startupProbe };
    const checksAtOnce = !c.startupProbe && c.readinessProbe !== undefined && (c.readinessProbe.initialDelaySeconds ?? 0) === 0;
    this.firstVerdict = new Promise<void>((resolve) => (this.settleFirst = resolve));
    if (c.startupProbe) this.schedule('startup', c.startupProbe, true);
    else this.startMainProbes();
    queueMicrotask(() => {
      if (!this.stopped) this.t.onChange({ ...this.state });
      if (!checksAtOnce) this.settle();
    });
  }

  private settle(): void {
    this.settleFirst?.();
    this.settleFirst = undefined;
  }

  private startMainProbes(): void {
    const c = this.t.container;
    if (c.livenessProbe) this.schedule('liveness', c.livenessProbe, true);
    if (c.readinessProbe) this.schedule('readiness', c.readinessProbe, true);
    else if (!this.state.ready) this.update({ ready: true });
  }

  private schedule(kind: ProbeKind, probe: ProbeObj, first: boolean): void {
    if (this.stopped) return;
    const runner = this.runners.get(kind) ?? { successes: 0, failures: 0 };
    this.runners.set(kind, runner);
    const delay = first ? (probe.initialDelaySeconds ?? 0) * 1000 : (probe.periodSeconds ?? 10) * 1000;
    runner.timer = setTimeout(() => void this.check(kind, probe, runner), delay);
  }

  private async check(kind: ProbeKind, probe: ProbeObj, runner: Runner): Promise<void> {
    const result = await runCheck(probe, this.t.container, this.t.podIP, this.t.exec);
    if (this.stopped) return;
    if (result.ok) {
      runner.successes++;
      runner.failures = 0;
    } else {
      runner.failures++;
      runner.successes = 0;
      this.t.onUnhealthy(kind, result.message);
    }
    const passed = runner.successes >= (kind === 'readiness' ? (probe.successThreshold ?? 1) : 1);
    const failed = runner.failures >= (probe.failureThreshold ?? 3);
    if (kind === 'startup') {
      if (passed) {
        this.update({ started: true });
        this.startMainProbes();
        return;
      }
      if (failed) return this.update({ failed: { kind, message: result.message } });
    } else if (kind === 'liveness' && failed) {
      return this.update({ failed: { kind, message: result.message } });
    } else if (kind === 'readiness') {
      if (passed && !this.state.ready) this.update({ ready: true });
      if (failed && this.state.ready) this.update({ ready: false });
      this.settle();
    }
    this.schedule(kind, probe, false);
  }

  private update(change: Partial<ProbeState>): void {
    Object.assign(this.state, change);
    this.t.onChange({ ...this.state });
  }

  stop(): void {
    this.stopped = true;
    this.settle();
    for (const r of this.runners.values()) clearTimeout(r.timer);
  }
}

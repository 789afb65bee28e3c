// Keeps one ContainerProber per running container instance, starting it when the instance starts
// and stopping it when the instance ends, and feeds probe outcomes into the Running state of the
// pod's container records.
import type { PodStatus } from '@kite/api-types';
import type { ContainerRuntime } from '@kite/cri';
import type { PodObj } from '../objects.js';
import type { PodRecord, RunningState } from '../pods/records.js';
import { ContainerProber, type ProbeKind, type ProbeState } from './prober.js';

/**
 * Longest the kubelet holds back the first status of a container that just started, waiting for
 * its first readiness verdict (ContainerProber.firstVerdict): a probe's default timeoutSeconds, so
 * only a check with a longer timeout is not waited for (Running is reported first, then Ready).
 */
export const FIRST_VERDICT_WAIT_MS = 1000;

/** A Running state with a prober's verdict: ready only once started; a liveness failure sticks until acted on. */
function probed(state: RunningState, verdict: ProbeState): RunningState {
  return { ...state, started: verdict.started, ready: verdict.started && verdict.ready, livenessFailed: state.livenessFailed || verdict.failed !== undefined };
}

export class ProbeManager {
  private readonly probers = new Map<string, { uid: string; prober: ContainerProber }>();

  constructor(
    private readonly records: Map<string, PodRecord>,
    private readonly resync: (uid: string) => void,
    private readonly unhealthy: (pod: PodObj, kind: ProbeKind, message: string) => void,
    private readonly runtimeOf: (pod: PodObj) => ContainerRuntime | undefined = () => undefined,
  ) {}

  /**
   * Matches probers to the containers running now, per the status just computed. When it started
   * probers, returns a promise that settles once their first verdicts are in (or after
   * FIRST_VERDICT_WAIT_MS), so the caller can report readiness in the same status write.
   */
  sync(pod: PodObj, rec: PodRecord, status: PodStatus | undefined): Promise<void> | undefined {
    const uid = rec.uid;
    const running = new Set<string>();
    const verdicts: Promise<void>[] = [];
    for (const c of pod.spec?.containers ?? []) {
      const cs = status?.containerStatuses?.find((s) => s.name === c.name);
      const crec = rec.containers.get(c.name);
      if (!cs?.state?.running || !crec?.id || !rec.podIP) continue;
      const id = crec.id;
      running.add(id);
      if (this.probers.has(id)) continue;
      const runtime = this.runtimeOf(pod);
      const prober = new ContainerProber({
        containerId: id,
        container: c,
        podIP: rec.podIP,
        exec: async (command, timeout) => {
          if (!runtime) throw new Error('exec probes are not supported by this runtime');
          const r = await runtime.execSync(id, [...command], timeout);
          return { exitCode: r.exitCode, output: Buffer.from(r.stdout).toString() + Buffer.from(r.stderr).toString() };
        },
        onChange: (verdict) => {
          const current = this.records.get(uid)?.containers.get(c.name);
          if (!current || current.id !== id) return;
          // Verdicts count for the Running instance they probed, not for one that has ended.
          if (current.state.kind === 'Running') current.state = probed(current.state, verdict);
          this.resync(uid);
        },
        onUnhealthy: (kind, message) => this.unhealthy(pod, kind, message),
      });
      this.probers.set(id, { uid, prober });
      verdicts.push(prober.firstVerdict);
    }
    for (const [id, p] of this.probers) {
      if (p.uid === uid && !running.has(id)) {
        p.prober.stop();
        this.probers.delete(id);
      }
    }
    if (verdicts.length === 0) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, FIRST_VERDICT_WAIT_MS)));
    return Promise.race([Promise.all(verdicts).then(() => undefined), cap]).finally(() => clearTimeout(timer));
  }

  stopPod(uid: string): void {
    for (const [id, p] of this.probers) {
      if (p.uid !== uid) continue;
      p.prober.stop();
      this.probers.delete(id);
    }
  }

  stopAll(): void {
    for (const p of this.probers.values()) p.prober.stop();
    this.probers.clear();
  }
}

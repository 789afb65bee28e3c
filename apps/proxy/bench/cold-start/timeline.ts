// When each workload reached each step of a cold start, as seen on watches held for the whole
// run: its Deployment asked for a replica (the activator's scale-up), its ReplicaSet did (the
// deployment controller), the pod was created (the ReplicaSet controller), bound to the node,
// its container running, Ready. A cold start's phases are read back from it, relative to the
// moment the request was sent, so the report can say where a cold start's time goes (control
// plane, runtime start, readiness, proxy).
import type { Deployment, Pod, ReplicaSet } from '@kite/api-types';
import type { ResourceClient } from '@kite/client';

export const Steps = { Scaled: 'scaled', ReplicaSetScaled: 'rsScaled', Created: 'created', Bound: 'bound', Running: 'running', Ready: 'ready' } as const;
export type Step = (typeof Steps)[keyof typeof Steps];

interface Mark {
  app: string;
  pod: string;
  step: Step;
  at: number;
}

function stepsOf(p: Pod): Step[] {
  const out: Step[] = [Steps.Created];
  if (p.spec?.nodeName) out.push(Steps.Bound);
  if (p.status?.containerStatuses?.some((c) => c.state?.running)) out.push(Steps.Running);
  if (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) out.push(Steps.Ready);
  return out;
}

export class PodTimeline {
  private readonly marks: Mark[] = [];
  private readonly abort = new AbortController();

  constructor(pods: ResourceClient<Pod>, deployments?: ResourceClient<Deployment>, replicaSets?: ResourceClient<ReplicaSet>) {
    if (deployments) this.watchScale(deployments, Steps.Scaled, (d) => d.metadata.name ?? '');
    if (replicaSets) this.watchScale(replicaSets, Steps.ReplicaSetScaled, (rs) => rs.metadata.ownerReferences?.[0]?.name ?? '');
    void (async () => {
      for await (const ev of pods.watch({ namespace: 'default', signal: this.abort.signal })) {
        if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') continue;
        const pod = ev.object as Pod;
        const app = pod.metadata.labels?.app ?? '';
        const name = pod.metadata.name ?? '';
        for (const step of stepsOf(pod)) {
          if (!this.marks.some((m) => m.pod === name && m.step === step)) this.marks.push({ app, pod: name, step, at: performance.now() });
        }
      }
    })().catch(() => undefined);
  }

  /** Scale-ups (0 → at least 1 replica) of Deployments or ReplicaSets, as marks of `step`. */
  private watchScale<T extends Deployment | ReplicaSet>(client: ResourceClient<T>, step: Step, appOf: (o: T) => string): void {
    const replicas = new Map<string, number>();
    void (async () => {
      for await (const ev of client.watch({ namespace: 'default', signal: this.abort.signal })) {
        if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') continue;
        const o = ev.object as T;
        const name = o.metadata.name ?? '';
        const now = o.spec?.replicas ?? 0;
        if ((replicas.get(name) ?? 0) === 0 && now > 0) this.marks.push({ app: appOf(o), pod: '', step, at: performance.now() });
        replicas.set(name, now);
      }
    })().catch(() => undefined);
  }

  /** Milliseconds from `since` to each step of the first pod of `app` created after `since`. */
  phases(app: string, since: number): Partial<Record<Step, number>> {
    const out: Partial<Record<Step, number>> = {};
    for (const step of [Steps.Scaled, Steps.ReplicaSetScaled]) {
      const m = this.marks.find((x) => x.app === app && x.step === step && x.at >= since);
      if (m) out[step] = m.at - since;
    }
    const first = this.marks.find((m) => m.app === app && m.step === Steps.Created && m.at >= since);
    if (!first) return out;
    for (const m of this.marks) if (m.pod === first.pod) out[m.step] = m.at - since;
    return out;
  }

  stop(): void {
    this.abort.abort();
  }
}

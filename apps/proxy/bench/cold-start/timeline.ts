// When each pod of the benchmark's workloads reached each step, as seen on one pods watch held
// for the whole run: created, bound to the node, its container running, Ready. A cold start's
// phases are read back from it, relative to the moment the request was sent, so the report can
// say where a cold start's time goes (control plane, runtime start, readiness, proxy).
import type { Pod } from '@kite/api-types';
import type { ResourceClient } from '@kite/client';

export const Steps = { Created: 'created', Bound: 'bound', Running: 'running', Ready: 'ready' } as const;
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

  constructor(pods: ResourceClient<Pod>) {
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

  /** Milliseconds from `since` to each step of the first pod of `app` created after `since`. */
  phases(app: string, since: number): Partial<Record<Step, number>> {
    const first = this.marks.find((m) => m.app === app && m.step === Steps.Created && m.at >= since);
    if (!first) return {};
    const out: Partial<Record<Step, number>> = {};
    for (const m of this.marks) if (m.pod === first.pod) out[m.step] = m.at - since;
    return out;
  }

  stop(): void {
    this.abort.abort();
  }
}

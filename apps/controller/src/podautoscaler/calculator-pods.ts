// Pods of a scale target as the replica calculator sees them (calculator-types.ts CalculatorPod):
// phase, deletion, the Ready condition and start time, and the pod's request for the resource
// scaled on (summed over containers, or the named container's, as Kubernetes' calculatePodRequests).
import { quantityMilliValue, type Pod } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import type { CalculatorPod } from './calculator-types.js';

type ReadonlyPod = DeepReadonly<Pod>;

const timeMs = (t: string | undefined) => (t ? Date.parse(t) : undefined);

export function calculatorPod(pod: ReadonlyPod, resource: string | undefined, container?: string): CalculatorPod {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const out: CalculatorPod = { name: pod.metadata.name ?? '', phase: pod.status?.phase ?? 'Pending', deleting: Boolean(pod.metadata.deletionTimestamp) };
  if (ready) out.readyCondition = { status: ready.status, lastTransitionMs: timeMs(ready.lastTransitionTime) ?? 0 };
  const start = timeMs(pod.status?.startTime);
  if (start !== undefined) out.startTimeMs = start;
  if (resource === undefined) return out;
  let total = 0;
  for (const c of pod.spec?.containers ?? []) {
    if (container !== undefined && c.name !== container) continue;
    const request = c.resources?.requests?.[resource];
    if (request === undefined) {
      out.missingRequestContainer = c.name;
      return out;
    }
    total += quantityMilliValue(request);
  }
  out.requestMilli = total;
  return out;
}

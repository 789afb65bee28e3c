// Pods (pkg/registry/core/pod/strategy.go): a new pod starts Pending, and deleting one that may be
// running on a node is graceful — the kubelet stops it within the grace period and finishes the job.
import type { KindStrategy, StrategyObject } from '../strategy.js';

export const podStrategy: KindStrategy = {
  prepareForCreate(obj: StrategyObject): void {
    const status = (obj.status ?? {}) as { phase?: string };
    status.phase ??= 'Pending';
    obj.status = status;
  },
  gracePeriod(obj: StrategyObject, requested: number | undefined): number {
    const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = ((obj.status ?? {}) as { phase?: string }).phase;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    return Math.max(0, requested ?? spec.terminationGracePeriodSeconds ?? 30);
  },
};

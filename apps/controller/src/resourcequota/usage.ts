// Recounts a quota's usage from the informer caches, with the arithmetic the apiserver's
// admission plugin charges with (`usageOf` in @kite/api-types), so the two always agree.
import { formatQuotaQuantity, podCounts, podMatchesQuotaScopes, usageOf, type KubeObject, type ResourceQuota, type ResourceType } from '@kite/api-types';
import type { DeepReadonly, Indexer } from '@kite/client';

export interface TrackedKind {
  rt: ResourceType;
  store: Indexer<KubeObject>;
  hasSynced: () => boolean;
}

/** `status.used` of `quota`: every resource in its spec.hard, counted over the namespace. */
export function usedIn(kinds: readonly TrackedKind[], namespace: string, quota: DeepReadonly<ResourceQuota>): Record<string, string> {
  const scopes = quota.spec?.scopes ?? [];
  const totals = new Map<string, number>(Object.keys(quota.spec?.hard ?? {}).map((r) => [r, 0]));
  for (const k of kinds) {
    const isPod = k.rt.group === '' && k.rt.plural === 'pods';
    for (const obj of k.store.list()) {
      if (obj.metadata.namespace !== namespace) continue;
      if (isPod && (!podCounts(obj as never) || !podMatchesQuotaScopes(obj as never, scopes))) continue;
      for (const [r, v] of usageOf(k.rt, obj)) if (totals.has(r)) totals.set(r, (totals.get(r) ?? 0) + v);
    }
  }
  return Object.fromEntries([...totals].map(([r, v]) => [r, formatQuotaQuantity(r, v)]));
}

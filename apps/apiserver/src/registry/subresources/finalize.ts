// `namespaces/finalize`: replaces a terminating namespace's spec.finalizers, and nothing else
// (the namespace controller clears `kubernetes` through it once the namespace is empty).
import type { SubresourceStorage } from './types.js';

export const finalizeStorage: SubresourceStorage = {
  name: 'finalize',
  servedFor: (rt) => rt.group === '' && rt.plural === 'namespaces',
  discovery: (rt) => ({ kind: rt.kind }),
  update: async (c) => {
    const finalizers = (c.object() as { spec?: { finalizers?: string[] } } | null)?.spec?.finalizers ?? [];
    const updated = await c.deps.rest.guaranteedUpdate({ ...c.scope, subresource: undefined }, c.name, (current) => ({ ...current, spec: { ...((current.spec ?? {}) as object), finalizers } }));
    return { code: 200, object: updated };
  },
};

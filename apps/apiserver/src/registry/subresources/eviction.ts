// `pods/eviction`: deletes a pod as its PodDisruptionBudget allows (EvictionREST); the body is a
// policy/v1 Eviction, the answer a 201 Status Success or the refusal (429 when the budget forbids).
import { evictPod } from '../eviction/evict.js';
import type { SubresourceStorage } from './types.js';

export const evictionStorage: SubresourceStorage = {
  name: 'eviction',
  servedFor: (rt) => rt.group === '' && rt.plural === 'pods',
  discovery: () => ({ kind: 'Eviction', group: 'policy', version: 'v1' }),
  create: async (c) => ({ code: 201, object: await evictPod({ rest: c.deps.rest, scope: c.scope, name: c.name, body: c.object(), write: c.write }) }),
};

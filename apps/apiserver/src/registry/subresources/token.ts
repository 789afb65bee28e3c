// `serviceaccounts/token`: the TokenRequest API (what `kubectl create token` calls).
import { createToken } from '../reviews/token-request.js';
import type { SubresourceStorage } from './types.js';

export const tokenStorage: SubresourceStorage = {
  name: 'token',
  servedFor: (rt) => rt.group === '' && rt.plural === 'serviceaccounts',
  discovery: () => ({ kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1' }),
  create: async (c) => ({ code: 201, object: await createToken((c.object() ?? {}) as Record<string, unknown>, c.scope.namespace ?? '', c.name, c.deps.reviews, c.deps.lookup) }),
};

// `*/status`: reads and writes only the status of kinds with a spec/status split; the generic
// update path keeps everything else as stored (the strategy's prepareForStatusUpdate).
import type { KubeObject } from '@kite/api-types';
import type { SubresourceStorage } from './types.js';

export const statusStorage: SubresourceStorage = {
  name: 'status',
  servedFor: (rt) => rt.subresources.status,
  discovery: (rt) => ({ kind: rt.kind }),
  get: async (c) => ({ code: 200, object: await c.deps.rest.get(c.scope, c.name) }),
  update: async (c) => ({ code: 200, object: await c.deps.rest.update(c.scope, c.name, c.object(), c.write) }),
  patch: async (c) => {
    const { type, patch } = c.patch();
    return { code: 200, object: (await c.deps.rest.patch(c.scope, c.name, type, patch, c.write)) as KubeObject };
  },
};

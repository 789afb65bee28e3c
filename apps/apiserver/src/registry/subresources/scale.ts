// `*/scale`: the autoscaling/v1 Scale view of kinds that declare a scale subresource.
import { getScale, patchScale, updateScale } from '../scale.js';
import type { SubresourceStorage } from './types.js';

export const scaleStorage: SubresourceStorage = {
  name: 'scale',
  servedFor: (rt) => rt.subresources.scale !== undefined,
  discovery: () => ({ kind: 'Scale', group: 'autoscaling', version: 'v1' }),
  get: async (c) => ({ code: 200, object: await getScale(c.deps.rest, c.scope, c.name) }),
  update: async (c) => ({ code: 200, object: await updateScale(c.deps.rest, c.scope, c.name, c.object()) }),
  patch: async (c) => {
    const { type, patch } = c.patch();
    return { code: 200, object: await patchScale(c.deps.rest, c.scope, c.name, type, patch) };
  },
};

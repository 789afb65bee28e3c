// `pods/binding`: the scheduler's assignment of a pod to a node (BindingREST).
import { successStatus } from '@kite/apimachinery';
import { bindPod } from '../binding.js';
import type { SubresourceStorage } from './types.js';

export const bindingStorage: SubresourceStorage = {
  name: 'binding',
  servedFor: (rt) => rt.group === '' && rt.plural === 'pods',
  discovery: () => ({ kind: 'Binding' }),
  create: async (c) => {
    await bindPod(c.deps.rest, c.scope, c.name, c.object());
    return { code: 201, object: { ...successStatus({ name: c.name, kind: 'pods' }), code: 201 } };
  },
};

// `pods/log`: a connecter — the answer is streamed from the pod's kubelet, not returned.
import { ApiError, failureStatus } from '@kite/apimachinery';
import type { SubresourceStorage } from './types.js';

export const logStorage: SubresourceStorage = {
  name: 'log',
  servedFor: (rt) => rt.group === '' && rt.plural === 'pods',
  discovery: () => ({ kind: 'Pod' }),
  get: async (c) => {
    if (!c.deps.podLogs) throw new ApiError(failureStatus(503, 'ServiceUnavailable', 'pod logs are not available: no kubelet client is configured'));
    await c.deps.podLogs(c.req, c.reply, c.scope, c.name);
    return undefined;
  },
};

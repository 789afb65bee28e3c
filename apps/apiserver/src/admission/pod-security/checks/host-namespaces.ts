// Baseline `hostNamespaces`: sharing the host's network, PID or IPC namespace is forbidden.
import { ALLOWED, forbid, type Check } from '../check.js';

export const hostNamespacesCheck: Check = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_meta, spec) => {
        const shared: string[] = [];
        if (spec.hostNetwork) shared.push('hostNetwork=true');
        if (spec.hostPID) shared.push('hostPID=true');
        if (spec.hostIPC) shared.push('hostIPC=true');
        return shared.length === 0 ? ALLOWED : forbid('host namespaces', shared.join(', '));
      },
    },
  ],
};

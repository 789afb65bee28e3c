// Restricted `allowPrivilegeEscalation`: containers must set allowPrivilegeEscalation=false
// (no setuid binaries gaining privileges).
import { ALLOWED, badContainers, containersPhrase, forbid, type Check } from '../check.js';

export const allowPrivilegeEscalationCheck: Check = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    {
      minimumVersion: 8,
      checkPod: (_meta, spec) => {
        const bad = badContainers(spec, (c) => c.securityContext?.allowPrivilegeEscalation !== false);
        return bad.length === 0 ? ALLOWED : forbid('allowPrivilegeEscalation != false', `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`);
      },
    },
  ],
};

// Baseline `privileged`: privileged containers disable most security mechanisms.
import { ALLOWED, badContainers, containersPhrase, forbid, type Check } from '../check.js';

export const privilegedCheck: Check = {
  id: 'privileged',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_meta, spec) => {
        const bad = badContainers(spec, (c) => c.securityContext?.privileged === true);
        return bad.length === 0 ? ALLOWED : forbid('privileged', `${containersPhrase(bad)} must not set securityContext.privileged=true`);
      },
    },
  ],
};

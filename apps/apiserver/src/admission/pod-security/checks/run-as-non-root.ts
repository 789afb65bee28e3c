// Restricted `runAsNonRoot`: the pod, or every container, must set runAsNonRoot=true, and none
// may set it to false.
import { ALLOWED, containersPhrase, forbid, visitContainers, type Check } from '../check.js';

export const runAsNonRootCheck: Check = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_meta, spec) => {
        const setters: string[] = [];
        const podValue = spec.securityContext?.runAsNonRoot;
        if (podValue === false) setters.push('pod');
        const explicit: string[] = [];
        const implicit: string[] = [];
        visitContainers(spec, (c) => {
          const v = c.securityContext?.runAsNonRoot;
          if (v === false) explicit.push(c.name);
          else if (v === undefined && podValue !== true) implicit.push(c.name);
        });
        if (explicit.length > 0) setters.push(containersPhrase(explicit));
        if (setters.length > 0) return forbid('runAsNonRoot != true', `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`);
        if (implicit.length > 0) return forbid('runAsNonRoot != true', `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true`);
        return ALLOWED;
      },
    },
  ],
};

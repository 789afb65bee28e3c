// Restricted `runAsUser`: neither the pod nor a container may run as UID 0.
import { ALLOWED, badContainers, forbid, settersPhrase, type Check } from '../check.js';

export const runAsUserCheck: Check = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    {
      minimumVersion: 23,
      checkPod: (_meta, spec) => {
        const setters = settersPhrase(spec.securityContext?.runAsUser === 0, badContainers(spec, (c) => c.securityContext?.runAsUser === 0));
        return setters.length === 0 ? ALLOWED : forbid('runAsUser=0', `${setters.join(' and ')} must not set runAsUser=0`);
      },
    },
  ],
};

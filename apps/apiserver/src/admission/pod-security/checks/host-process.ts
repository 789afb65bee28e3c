// Baseline `windowsHostProcess`: Windows HostProcess containers have full access to the host.
import { ALLOWED, badContainers, forbid, settersPhrase, type Check } from '../check.js';

export const hostProcessCheck: Check = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_meta, spec) => {
        const pod = spec.securityContext?.windowsOptions?.hostProcess === true;
        const containers = badContainers(spec, (c) => c.securityContext?.windowsOptions?.hostProcess === true);
        const setters = settersPhrase(pod, containers);
        if (setters.length === 0) return ALLOWED;
        return forbid('hostProcess', `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`);
      },
    },
  ],
};

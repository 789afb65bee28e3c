// Baseline `procMount`: the default /proc masks must stay (procMount unset or Default).
import { ALLOWED, containersPhrase, forbid, joinQuote, sortedSet, visitContainers, type Check } from '../check.js';

export const procMountCheck: Check = {
  id: 'procMount',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_meta, spec) => {
        const bad: string[] = [];
        const types: string[] = [];
        visitContainers(spec, (c) => {
          const pm = c.securityContext?.procMount;
          if (pm === undefined || pm === 'Default') return;
          bad.push(c.name);
          types.push(pm);
        });
        if (bad.length === 0) return ALLOWED;
        return forbid('procMount', `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`);
      },
    },
  ],
};

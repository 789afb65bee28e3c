// Restricted `capabilities_restricted`: containers must drop ALL and may add back only
// NET_BIND_SERVICE.
import { ALLOWED, containersPhrase, forbid, joinQuote, sortedSet, visitContainers, type Check } from '../check.js';

export const CAPABILITY_ALL = 'ALL';
export const CAPABILITY_NET_BIND_SERVICE = 'NET_BIND_SERVICE';

export const capabilitiesRestrictedCheck: Check = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    {
      minimumVersion: 22,
      checkPod: (_meta, spec) => {
        const missingDropAll: string[] = [];
        const adding: string[] = [];
        const caps: string[] = [];
        visitContainers(spec, (c) => {
          const capabilities = c.securityContext?.capabilities;
          if (!capabilities) {
            missingDropAll.push(c.name);
            return;
          }
          if (!(capabilities.drop ?? []).includes(CAPABILITY_ALL)) missingDropAll.push(c.name);
          const extra = (capabilities.add ?? []).filter((cap) => cap !== CAPABILITY_NET_BIND_SERVICE);
          if (extra.length > 0) adding.push(c.name);
          caps.push(...extra);
        });
        const details: string[] = [];
        if (missingDropAll.length > 0) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
        if (adding.length > 0) details.push(`${containersPhrase(adding)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`);
        return details.length === 0 ? ALLOWED : forbid('unrestricted capabilities', details.join('; '));
      },
    },
  ],
};

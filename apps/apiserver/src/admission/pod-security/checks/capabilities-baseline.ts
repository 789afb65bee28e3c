// Baseline `capabilities_baseline`: containers may add only the container runtime's default set.
import { ALLOWED, containersPhrase, forbid, joinQuote, sortedSet, visitContainers, type Check } from '../check.js';

/** Docker's and containerd's default capability set. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

export const capabilitiesBaselineCheck: Check = {
  id: 'capabilities_baseline',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_meta, spec) => {
        const bad: string[] = [];
        const caps: string[] = [];
        visitContainers(spec, (c) => {
          const extra = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
          if (extra.length > 0) bad.push(c.name);
          caps.push(...extra);
        });
        if (bad.length === 0) return ALLOWED;
        return forbid('non-default capabilities', `${containersPhrase(bad)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`);
      },
    },
  ],
};

// Baseline `hostPorts`: host ports bind the node's addresses.
import { ALLOWED, containersPhrase, forbid, pluralize, sortedSet, visitContainers, type Check } from '../check.js';

export const hostPortsCheck: Check = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_meta, spec) => {
        const bad: string[] = [];
        const ports: string[] = [];
        visitContainers(spec, (c) => {
          const used = (c.ports ?? []).filter((p) => p.hostPort !== undefined && p.hostPort !== 0).map((p) => String(p.hostPort));
          if (used.length > 0) bad.push(c.name);
          ports.push(...used);
        });
        if (bad.length === 0) return ALLOWED;
        const list = sortedSet(ports); // sorted as strings, as sets.String sorts them
        const detail = `${containersPhrase(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`;
        return forbid('hostPort', detail);
      },
    },
  ],
};

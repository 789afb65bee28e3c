// Baseline `hostPathVolumes`: hostPath volumes expose the node's filesystem.
import { ALLOWED, forbid, joinQuote, pluralize, type Check } from '../check.js';

export const HOST_PATH_VOLUMES_ID = 'hostPathVolumes';

export const hostPathVolumesCheck: Check = {
  id: HOST_PATH_VOLUMES_ID,
  level: 'baseline',
  versions: [
    {
      minimumVersion: 0,
      checkPod: (_meta, spec) => {
        const bad = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name);
        return bad.length === 0 ? ALLOWED : forbid('hostPath volumes', `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}`);
      },
    },
  ],
};

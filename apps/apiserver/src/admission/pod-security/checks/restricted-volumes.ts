// Restricted `restrictedVolumes`: only volume types that carry no host or network-storage
// access. Replaces the baseline hostPath check at this level.
import type { Volume } from '@kite/api-types';
import { ALLOWED, forbid, joinQuote, pluralize, sortedSet, type Check } from '../check.js';
import { HOST_PATH_VOLUMES_ID } from './host-path-volumes.js';

const ALLOWED_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
/** Restricted sources in the order Kubernetes names the first one a volume sets. */
const RESTRICTED_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs',
  'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
];

const has = (v: Volume, source: string): boolean => {
  const value = (v as Record<string, unknown>)[source];
  return value !== undefined && value !== null;
};

export const restrictedVolumesCheck: Check = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [
    {
      minimumVersion: 0,
      overrideCheckIds: [HOST_PATH_VOLUMES_ID],
      checkPod: (_meta, spec) => {
        const bad: string[] = [];
        const types: string[] = [];
        for (const v of spec.volumes ?? []) {
          if (ALLOWED_SOURCES.some((s) => has(v, s))) continue;
          bad.push(v.name);
          types.push(RESTRICTED_SOURCES.find((s) => has(v, s)) ?? 'unknown');
        }
        if (bad.length === 0) return ALLOWED;
        const list = sortedSet(types);
        const detail = `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`;
        return forbid('restricted volume types', detail);
      },
    },
  ],
};

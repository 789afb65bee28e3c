// core/v1 Pod: the unit of scheduling. The scheduler binds it to a node (binding subresource); the
// kubelet of that node runs its containers and reports status. Spec schema lives in podspec.ts,
// status in podstatus.ts, defaulting and validation in pod-defaults.ts and pod-validation.ts.
import type { Static } from '@sinclair/typebox';
import { defineResource } from '../define.js';
import { kindSchema } from '../meta/v1.js';
import { defaultPodObjectSpec } from './pod-defaults.js';
import { validatePodSpecUpdate } from './pod-update.js';
import { validatePodSpec } from './pod-validation.js';
import { PodSpec } from './podspec.js';
import { PodStatus } from './podstatus.js';

export const Pod = kindSchema('v1', 'Pod', PodSpec, PodStatus, 'A group of containers scheduled together onto one node, sharing network and volumes.');
export type Pod = Static<typeof Pod>;

export const PodResource = defineResource<Pod>({
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  shortNames: ['po'],
  namespaced: true,
  categories: ['all'],
  schema: Pod,
  status: true,
  defaults: (pod) => {
    if (pod.spec) defaultPodObjectSpec(pod.spec);
  },
  validate: (pod, old) => {
    if (!pod.spec) return validatePodSpec({ containers: [] }, 'spec');
    const out = validatePodSpec(pod.spec, 'spec');
    if (old?.spec) out.push(...validatePodSpecUpdate(pod.spec, old.spec));
    return out;
  },
  fieldSelectors: {
    'spec.nodeName': (p) => p.spec?.nodeName ?? '',
    'spec.restartPolicy': (p) => p.spec?.restartPolicy ?? '',
    'spec.schedulerName': (p) => p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (p) => p.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (p) => String(p.spec?.hostNetwork ?? false),
    'status.phase': (p) => p.status?.phase ?? '',
    'status.podIP': (p) => p.status?.podIP ?? '',
    'status.nominatedNodeName': (p) => p.status?.nominatedNodeName ?? '',
  },
});

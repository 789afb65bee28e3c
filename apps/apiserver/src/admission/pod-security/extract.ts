// Where the pod template of each pod-bearing kind lives (DefaultPodSpecExtractor). PodSecurity
// enforces on pods only; for these kinds it warns and audits, so a Deployment whose pods would be
// refused says so when it is created rather than when its ReplicaSet fails to make pods.
import type { KubeObject, ObjectMeta, PodSpec, PodTemplateSpec } from '@kite/api-types';

type Path = readonly string[];

/** `group/plural` → path of the PodTemplateSpec in the object. */
const TEMPLATE_PATHS: ReadonlyMap<string, Path> = new Map<string, Path>([
  ['/replicationcontrollers', ['spec', 'template']],
  ['/podtemplates', ['template']],
  ['apps/replicasets', ['spec', 'template']],
  ['apps/deployments', ['spec', 'template']],
  ['apps/statefulsets', ['spec', 'template']],
  ['apps/daemonsets', ['spec', 'template']],
  ['batch/jobs', ['spec', 'template']],
  ['batch/cronjobs', ['spec', 'jobTemplate', 'spec', 'template']],
]);

/** Whether objects of this resource carry a pod template. */
export const hasPodTemplate = (group: string, plural: string): boolean => TEMPLATE_PATHS.has(`${group}/${plural}`);

/** The template's metadata and spec; undefined when the object has none. */
export function extractPodTemplate(group: string, plural: string, obj: KubeObject): { meta: ObjectMeta | undefined; spec: PodSpec } | undefined {
  const path = TEMPLATE_PATHS.get(`${group}/${plural}`);
  if (!path) return undefined;
  let cur: unknown = obj;
  for (const key of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  const template = cur as PodTemplateSpec | undefined;
  if (!template) return undefined;
  return { meta: template.metadata, spec: template.spec ?? { containers: [] } };
}

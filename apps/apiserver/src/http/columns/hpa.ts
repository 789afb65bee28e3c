// Columns of HorizontalPodAutoscalers, as Kubernetes' printers define them:
//   NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE
// The table hands every version's objects over at the storage version (autoscaling/v2), so the
// same columns serve `kubectl get hpa` at v1 and v2.
import type { HorizontalPodAutoscaler } from '@kite/api-types';
import { ageColumn, kindColumns, nameColumn, type Column } from './format.js';
import { hpaTargets } from './hpa-targets.js';

/** MINPODS when minReplicas is not set. */
const UNSET = '<unset>';

export function hpaColumns(): Column[] {
  const columns: Array<Column<HorizontalPodAutoscaler>> = [
    nameColumn,
    { name: 'Reference', description: 'Reference to the object whose scale this autoscaler controls.', value: (o) => `${o.spec?.scaleTargetRef.kind ?? ''}/${o.spec?.scaleTargetRef.name ?? ''}` },
    { name: 'Targets', description: 'Current and target value of each metric this autoscaler holds at its target.', value: hpaTargets },
    { name: 'MinPods', description: 'Lower limit for the number of pods the autoscaler can scale down to.', value: (o) => (o.spec?.minReplicas === undefined ? UNSET : String(o.spec.minReplicas)) },
    { name: 'MaxPods', description: 'Upper limit for the number of pods the autoscaler can scale up to.', value: (o) => o.spec?.maxReplicas ?? 0 },
    { name: 'Replicas', description: 'Current number of replicas of pods managed by this autoscaler.', value: (o) => o.status?.currentReplicas ?? 0 },
    ageColumn,
  ];
  return kindColumns(columns);
}

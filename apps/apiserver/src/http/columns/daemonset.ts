// Columns of the per-node workload and its history, as `kubectl get` prints them for Kubernetes:
//   DaemonSet           NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE | CONTAINERS IMAGES SELECTOR
//   ControllerRevision  NAME CONTROLLER REVISION AGE
import type { ControllerRevision, DaemonSet } from '@kite/api-types';
import { ageColumn, formatLabels, formatSelector, kindColumns, nameColumn, templateColumns, type Column } from './format.js';

export function daemonSetColumns(): Column[] {
  const columns: Array<Column<DaemonSet>> = [
    nameColumn,
    { name: 'Desired', type: 'integer', description: 'The total number of nodes that should be running the daemon pod.', value: (o) => o.status?.desiredNumberScheduled ?? 0 },
    { name: 'Current', type: 'integer', description: 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', value: (o) => o.status?.currentNumberScheduled ?? 0 },
    { name: 'Ready', type: 'integer', description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', value: (o) => o.status?.numberReady ?? 0 },
    { name: 'Up-to-date', type: 'integer', description: 'The total number of nodes that are running updated daemon pod.', value: (o) => o.status?.updatedNumberScheduled ?? 0 },
    { name: 'Available', type: 'integer', description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds).', value: (o) => o.status?.numberAvailable ?? 0 },
    { name: 'Node Selector', description: 'NodeSelector is a selector which must be true for the pod to fit on a node.', value: (o) => formatLabels(o.spec?.template.spec?.nodeSelector) },
    ageColumn,
    ...templateColumns<DaemonSet>((o) => o.spec?.template.spec?.containers ?? []),
    { name: 'Selector', priority: 1, description: 'A label query over pods that are managed by the daemon set.', value: (o) => formatSelector(o.spec?.selector) },
  ];
  return kindColumns(columns);
}

/** `daemonset.apps/NAME`: the kind, group and name of the revision's controller, or `<none>`. */
export function revisionController(cr: ControllerRevision): string {
  const ref = cr.metadata.ownerReferences?.find((r) => r.controller === true);
  if (!ref) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
}

export function controllerRevisionColumns(): Column[] {
  const columns: Array<Column<ControllerRevision>> = [
    nameColumn,
    { name: 'Controller', description: 'The controller that owns this revision.', value: revisionController },
    { name: 'Revision', type: 'integer', description: 'The revision number.', value: (o) => o.revision },
    ageColumn,
  ];
  return kindColumns(columns);
}

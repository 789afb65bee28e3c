// Columns of policy/v1 PodDisruptionBudgets, as `kubectl get pdb` prints them for Kubernetes:
//   NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE
// The budget not set shows N/A, as Kubernetes' printer does.
import type { PodDisruptionBudget } from '@kite/api-types';
import { ageColumn, kindColumns, nameColumn, type Column } from './format.js';

/** What Kubernetes' PDB printer shows for the one of minAvailable/maxUnavailable not set. */
const NOT_SET = 'N/A';

const budget = (v: number | string | undefined) => (v === undefined ? NOT_SET : String(v));

export function podDisruptionBudgetColumns(): Column[] {
  const columns: Array<Column<PodDisruptionBudget>> = [
    nameColumn,
    { name: 'Min Available', description: 'The minimum number or percentage of pods that must stay available.', value: (o) => budget(o.spec?.minAvailable) },
    { name: 'Max Unavailable', description: 'The maximum number or percentage of pods that may be unavailable.', value: (o) => budget(o.spec?.maxUnavailable) },
    { name: 'Allowed Disruptions', type: 'integer', description: 'Pod disruptions allowed now.', value: (o) => o.status?.disruptionsAllowed ?? 0 },
    ageColumn,
  ];
  return kindColumns(columns);
}

// Columns of CronJob, as `kubectl get cronjobs` prints them for Kubernetes:
//   CronJob  NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE | CONTAINERS IMAGES SELECTOR
import type { CronJob } from '@kite/api-types';
import { ageColumn, formatSelector, kindColumns, nameColumn, NONE, orNone, since, templateColumns, type Column } from './format.js';

/** What Kubernetes prints for an unset boolean pointer (spec.suspend before defaulting). */
const UNSET = '<unset>';

export function cronJobColumns(): Column[] {
  const columns: Array<Column<CronJob>> = [
    nameColumn,
    { name: 'Schedule', description: 'The schedule in Cron format.', value: (o) => o.spec?.schedule ?? '' },
    { name: 'Timezone', description: 'The time zone name for the given schedule.', value: (o) => orNone(o.spec?.timeZone) },
    { name: 'Suspend', type: 'boolean', description: 'Whether the controller suspends subsequent executions.', value: (o) => (o.spec?.suspend === undefined ? UNSET : o.spec.suspend ? 'True' : 'False') },
    { name: 'Active', type: 'integer', description: 'Number of currently running jobs.', value: (o) => o.status?.active?.length ?? 0 },
    { name: 'Last Schedule', description: 'When the job was last successfully scheduled.', value: (o) => since(o.status?.lastScheduleTime, NONE) },
    ageColumn,
    ...templateColumns<CronJob>((o) => o.spec?.jobTemplate?.spec?.template?.spec?.containers ?? []),
    { name: 'Selector', priority: 1, description: 'Label selector for the jobs\' pods.', value: (o) => formatSelector(o.spec?.jobTemplate?.spec?.selector) },
  ];
  return kindColumns(columns);
}

// Tiny builders for Job and pod objects in the Job controller's unit tables.
import { JOB_COMPLETION_INDEX_ANNOTATION, JOB_INDEX_FAILURE_COUNT_ANNOTATION, JOB_TRACKING_FINALIZER, type Job, type JobSpec, type JobStatus, type Pod } from '@kite/api-types';

export const NOW = Date.parse('2026-01-01T12:00:00Z');
export const at = (s: number) => new Date(NOW + s * 1000).toISOString();

export function job(spec: Partial<JobSpec> = {}, status: JobStatus = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'ns', uid: 'job-uid', resourceVersion: '10' },
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'batch.wasm' }] } }, ...spec },
    status,
  };
}

export interface PodOpts {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  finalizer?: boolean;
  index?: number;
  indexFailures?: number;
  exitCode?: number;
  container?: string;
  deleting?: boolean;
  finishedAt?: number;
  conditions?: { type: string; status: 'True' | 'False' }[];
}

export function pod(name: string, o: PodOpts = {}): Pod {
  const annotations: Record<string, string> = {};
  if (o.index !== undefined) annotations[JOB_COMPLETION_INDEX_ANNOTATION] = String(o.index);
  if (o.indexFailures !== undefined) annotations[JOB_INDEX_FAILURE_COUNT_ANNOTATION] = String(o.indexFailures);
  const terminated = o.exitCode !== undefined || o.phase === 'Succeeded' || o.phase === 'Failed';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      creationTimestamp: at(-100),
      annotations,
      ...(o.finalizer === false ? {} : { finalizers: [JOB_TRACKING_FINALIZER] }),
      ...(o.deleting ? { deletionTimestamp: at(0) } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true }],
    },
    spec: { containers: [{ name: o.container ?? 'main', image: 'batch.wasm' }] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.conditions,
      containerStatuses: [
        {
          name: o.container ?? 'main',
          ready: false,
          restartCount: 0,
          image: 'batch.wasm',
          imageID: '',
          state: terminated ? { terminated: { exitCode: o.exitCode ?? (o.phase === 'Failed' ? 1 : 0), finishedAt: at(o.finishedAt ?? 0) } } : { running: {} },
        },
      ],
    },
  };
}

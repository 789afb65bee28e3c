// Counting a Job's pods (accounting.ts), deciding whether it finished (finish.ts), how many pods
// it wants running (manage.ts), and the pods it creates (job-pods.ts).
import { describe, expect, it } from 'vitest';
import { JOB_COMPLETION_INDEX_ANNOTATION, JOB_TRACKING_FINALIZER, type Job, type Pod } from '@kite/api-types';
import { account } from '../../../src/job/accounting.js';
import { finishedCondition } from '../../../src/job/finish.js';
import { newJobPod } from '../../../src/job/job-pods.js';
import { wantActive } from '../../../src/job/manage.js';
import { NOW, at, job, pod } from './fixtures.js';

const names = (pods: readonly { metadata: { name?: string } }[]) => pods.map((p) => p.metadata.name);

describe('account', () => {
  it.each<{ name: string; job: Job; pods: Pod[]; succeeded: number; failed: number; newS: string[]; newF: string[]; active: number }>([
    {
      name: 'new finished pods with the finalizer count once',
      job: job({ completions: 5 }, { succeeded: 1, failed: 0 }),
      pods: [pod('a', { phase: 'Succeeded' }), pod('b', { phase: 'Failed' }), pod('c'), pod('old', { phase: 'Succeeded', finalizer: false })],
      succeeded: 2, failed: 1, newS: ['a'], newF: ['b'], active: 1,
    },
    {
      name: 'recorded (uncounted) pods are not new',
      job: job({ completions: 5 }, { succeeded: 1, uncountedTerminatedPods: { succeeded: ['uid-a'], failed: ['uid-gone'] } }),
      pods: [pod('a', { phase: 'Succeeded' })],
      succeeded: 2, failed: 1, newS: [], newF: [], active: 0,
    },
    {
      name: 'a pod being deleted before it succeeded counts as failed',
      job: job({ completions: 5 }),
      pods: [pod('a', { deleting: true })],
      succeeded: 0, failed: 1, newS: [], newF: ['a'], active: 0,
    },
    {
      name: 'podReplacementPolicy Failed waits for the Failed phase',
      job: job({ completions: 5, podReplacementPolicy: 'Failed' }),
      pods: [pod('a', { deleting: true })],
      succeeded: 0, failed: 0, newS: [], newF: [], active: 0,
    },
    {
      name: 'an Ignore rule keeps a failure out of the count',
      job: job({ completions: 5, podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }] } }),
      pods: [pod('a', { phase: 'Failed', exitCode: 3 }), pod('b', { phase: 'Failed', exitCode: 4 })],
      succeeded: 0, failed: 1, newS: [], newF: ['b'], active: 0,
    },
  ])('$name', ({ job: j, pods, succeeded, failed, newS, newF, active }) => {
    const a = account(j, pods);
    expect({ succeeded: a.succeeded, failed: a.failed, newS: names(a.newSucceeded), newF: names(a.newFailed), active: a.active.length }).toEqual({ succeeded, failed, newS, newF, active });
  });

  it('Indexed: successes fill the completed set, duplicates count once', () => {
    const j = job({ completionMode: 'Indexed', completions: 4 }, { completedIndexes: '0' });
    const a = account(j, [pod('a', { phase: 'Succeeded', index: 0 }), pod('b', { phase: 'Succeeded', index: 2 }), pod('c', { phase: 'Succeeded', index: 2 }), pod('d', { phase: 'Succeeded', index: 9 })]);
    expect([...a.completed].sort()).toEqual([0, 2]);
    expect(a.succeeded).toBe(2);
  });

  it.each([
    { name: 'an index fails after backoffLimitPerIndex failures', failures: 1, limit: 1, want: [1] },
    { name: 'an index with retries left does not fail', failures: 0, limit: 1, want: [] },
  ])('$name', ({ failures, limit, want }) => {
    const j = job({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: limit });
    const a = account(j, [pod('a', { phase: 'Failed', index: 1, indexFailures: failures })]);
    expect([...a.failedIndexes]).toEqual(want);
  });
});

describe('finishedCondition', () => {
  it.each<{ name: string; job: Job; pods: Pod[]; want: string | undefined }>([
    { name: 'running', job: job({ completions: 3 }), pods: [pod('a')], want: undefined },
    { name: 'enough successes', job: job({ completions: 2 }, { succeeded: 1 }), pods: [pod('a', { phase: 'Succeeded' })], want: 'SuccessCriteriaMet/CompletionsReached' },
    { name: 'no completions: one success, nothing running', job: job({ completions: undefined, parallelism: 2 }), pods: [pod('a', { phase: 'Succeeded' })], want: 'SuccessCriteriaMet/CompletionsReached' },
    { name: 'no completions: one success, one still running', job: job({ completions: undefined, parallelism: 2 }), pods: [pod('a', { phase: 'Succeeded' }), pod('b')], want: undefined },
    { name: 'failed = backoffLimit is not yet too many', job: job({ completions: 3, backoffLimit: 2 }, { failed: 1 }), pods: [pod('a', { phase: 'Failed' })], want: undefined },
    { name: 'failed > backoffLimit', job: job({ completions: 3, backoffLimit: 2 }, { failed: 2 }), pods: [pod('a', { phase: 'Failed' })], want: 'FailureTarget/BackoffLimitExceeded' },
    { name: 'past the deadline', job: job({ completions: 3, activeDeadlineSeconds: 10 }, { startTime: at(-11) }), pods: [pod('a')], want: 'FailureTarget/DeadlineExceeded' },
    { name: 'before the deadline', job: job({ completions: 3, activeDeadlineSeconds: 10 }, { startTime: at(-9) }), pods: [pod('a')], want: undefined },
    {
      name: 'FailJob rule',
      job: job({ completions: 3, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } }),
      pods: [pod('a', { phase: 'Failed', exitCode: 42 })],
      want: 'FailureTarget/PodFailurePolicy',
    },
    { name: 'Indexed: all indexes done', job: job({ completionMode: 'Indexed', completions: 2 }, { completedIndexes: '0' }), pods: [pod('a', { phase: 'Succeeded', index: 1 })], want: 'SuccessCriteriaMet/CompletionsReached' },
    {
      name: 'Indexed: every index done, one failed',
      job: job({ completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 0 }, { completedIndexes: '0' }),
      pods: [pod('a', { phase: 'Failed', index: 1 })],
      want: 'FailureTarget/FailedIndexes',
    },
    {
      name: 'Indexed: more failed indexes than maxFailedIndexes',
      job: job({ completionMode: 'Indexed', completions: 5, backoffLimitPerIndex: 0, maxFailedIndexes: 1 }),
      pods: [pod('a', { phase: 'Failed', index: 1 }), pod('b', { phase: 'Failed', index: 2 })],
      want: 'FailureTarget/MaxFailedIndexesExceeded',
    },
    {
      name: 'an interim condition already written stands',
      job: job({ completions: 3 }, { conditions: [{ type: 'FailureTarget', status: 'True', reason: 'DeadlineExceeded', message: 'm' }] }),
      pods: [],
      want: 'FailureTarget/DeadlineExceeded',
    },
  ])('$name → $want', ({ job: j, pods, want }) => {
    const f = finishedCondition(j, account(j, pods), NOW);
    expect(f ? `${f.type}/${f.reason}` : undefined).toBe(want);
  });
});

describe('wantActive', () => {
  it.each<{ name: string; job: Job; pods: Pod[]; want: number }>([
    { name: 'parallelism caps', job: job({ completions: 200, parallelism: 20 }, { succeeded: 10 }), pods: [], want: 20 },
    { name: 'remaining completions cap', job: job({ completions: 200, parallelism: 20 }, { succeeded: 190 }), pods: [], want: 10 },
    { name: 'done wants none', job: job({ completions: 5, parallelism: 2 }, { succeeded: 5 }), pods: [], want: 0 },
    { name: 'no completions, before a success: parallelism', job: job({ completions: undefined, parallelism: 3 }), pods: [], want: 3 },
    { name: 'no completions, after a success: what runs', job: job({ completions: undefined, parallelism: 3 }, { succeeded: 1 }), pods: [pod('a')], want: 1 },
    { name: 'Indexed: remaining indexes', job: job({ completionMode: 'Indexed', completions: 5, parallelism: 3 }, { completedIndexes: '0-2' }), pods: [], want: 2 },
  ])('$name: $want', ({ job: j, pods, want }) => {
    expect(wantActive(j, account(j, pods))).toBe(want);
  });
});

describe('newJobPod', () => {
  it('NonIndexed: tracking finalizer, owner reference, generateName', () => {
    const p = newJobPod(job());
    expect(p.metadata.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
    expect(p.metadata.generateName).toBe('pi-');
    expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'pi', uid: 'job-uid', controller: true });
    expect(p.spec?.containers[0]?.env).toBeUndefined();
  });

  it('Indexed: index annotation and label, hostname, JOB_COMPLETION_INDEX in every container', () => {
    const j = job({ completionMode: 'Indexed', completions: 5 });
    j.spec?.template.spec?.containers.push({ name: 'side', image: 'x.wasm', env: [{ name: 'A', value: '1' }] });
    const p = newJobPod(j, { index: 3 });
    expect(p.metadata.generateName).toBe('pi-3-');
    expect(p.spec?.hostname).toBe('pi-3');
    expect(p.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION]).toBe('3');
    expect(p.metadata.labels?.[JOB_COMPLETION_INDEX_ANNOTATION]).toBe('3');
    for (const c of p.spec?.containers ?? []) {
      expect(c.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX')?.valueFrom?.fieldRef?.fieldPath).toBe(`metadata.annotations['${JOB_COMPLETION_INDEX_ANNOTATION}']`);
    }
    expect(p.spec?.containers[1]?.env?.[0]).toEqual({ name: 'A', value: '1' });
  });
});

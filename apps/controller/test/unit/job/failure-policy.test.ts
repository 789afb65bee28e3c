// podFailurePolicy: first matching rule wins; exit code 0 never matches; conditions default True.
import { describe, expect, it } from 'vitest';
import type { PodFailurePolicy } from '@kite/api-types';
import { matchPodFailurePolicy } from '../../../src/job/failure-policy.js';
import { pod } from './fixtures.js';

const policy: PodFailurePolicy = {
  rules: [
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1, 2, 42] } },
  ],
};

describe('matchPodFailurePolicy', () => {
  it.each([
    { name: 'exit 42 of main → FailJob', p: pod('a', { phase: 'Failed', exitCode: 42 }), want: 'FailJob', rule: 1 },
    { name: 'exit 42 of another container → Count (NotIn rule misses 42)', p: pod('b', { phase: 'Failed', exitCode: 42, container: 'side' }), want: undefined, rule: undefined },
    { name: 'exit 7 → Count via NotIn', p: pod('c', { phase: 'Failed', exitCode: 7 }), want: 'Count', rule: 2 },
    { name: 'exit 1 → no rule', p: pod('d', { phase: 'Failed', exitCode: 1 }), want: undefined, rule: undefined },
    { name: 'exit 0 never matches NotIn', p: pod('e', { phase: 'Failed', exitCode: 0 }), want: undefined, rule: undefined },
    { name: 'DisruptionTarget → Ignore', p: pod('f', { phase: 'Failed', exitCode: 42, conditions: [{ type: 'DisruptionTarget', status: 'True' }] }), want: 'Ignore', rule: 0 },
    { name: 'DisruptionTarget False does not match', p: pod('g', { phase: 'Failed', exitCode: 1, conditions: [{ type: 'DisruptionTarget', status: 'False' }] }), want: undefined, rule: undefined },
  ])('$name', ({ p, want, rule }) => {
    const m = matchPodFailurePolicy(policy, p);
    expect(m?.action).toBe(want);
    expect(m?.ruleIndex).toBe(rule);
  });

  it('writes Kubernetes\' message for a FailJob match', () => {
    expect(matchPodFailurePolicy(policy, pod('a', { phase: 'Failed', exitCode: 42 }))?.message).toBe('Container main for pod ns/a failed with exit code 42 matching FailJob rule at index 1');
  });

  it('no policy matches nothing', () => {
    expect(matchPodFailurePolicy(undefined, pod('a', { phase: 'Failed', exitCode: 42 }))).toBeUndefined();
  });
});

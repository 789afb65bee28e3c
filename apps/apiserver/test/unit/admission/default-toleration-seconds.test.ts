// DefaultTolerationSeconds: pods tolerate not-ready and unreachable nodes for 300s unless a
// toleration of theirs already covers those taints.
import type { Toleration } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { newDefaultTolerationSeconds } from '../../../src/admission/default-toleration-seconds.js';
import { attrs, contextWith, podWith } from './helpers.js';

const NOT_READY: Toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE: Toleration = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const plugin = newDefaultTolerationSeconds(contextWith());

describe('DefaultTolerationSeconds', () => {
  it.each<{ name: string; tolerations?: Toleration[]; want: Toleration[] }>([
    { name: 'adds both to a pod without tolerations', want: [NOT_READY, UNREACHABLE] },
    {
      name: 'keeps unrelated tolerations first',
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      want: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE],
    },
    {
      name: 'an own not-ready toleration is kept',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }],
      want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }, UNREACHABLE],
    },
    { name: 'an empty key and effect tolerates everything', tolerations: [{ operator: 'Exists' }], want: [{ operator: 'Exists' }] },
    {
      name: 'an own key with any effect counts',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }],
      want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, NOT_READY],
    },
    {
      name: 'a NoSchedule toleration does not count',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
      want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE],
    },
  ])('$name', ({ tolerations, want }) => {
    const pod = podWith(tolerations ? { tolerations } : {});
    plugin.admit(attrs('Pod'), pod);
    expect(pod.spec?.tolerations).toEqual(want);
  });

  it.each<{ name: string; kind: string; subresource?: string; want: boolean }>([
    { name: 'pods', kind: 'Pod', want: true },
    { name: 'pod subresources', kind: 'Pod', subresource: 'binding', want: false },
    { name: 'other kinds', kind: 'Deployment', want: false },
  ])('handles $name: $want', ({ kind, subresource, want }) => {
    expect(plugin.handles(attrs(kind, subresource ? { subresource } : {}))).toBe(want);
  });

  it('takes other durations', () => {
    const pod = podWith();
    newDefaultTolerationSeconds(contextWith(), { notReadySeconds: 60, unreachableSeconds: 30 }).admit(attrs('Pod'), pod);
    expect(pod.spec?.tolerations?.map((t) => t.tolerationSeconds)).toEqual([60, 30]);
  });
});

// Table tests of where a DaemonSet's pod belongs (src/daemon/node-fit.ts, tolerations.ts).
import { describe, expect, it } from 'vitest';
import type { Node, PodSpec, Taint } from '@kite/api-types';
import { nodeShouldRunDaemonPod } from '../../../src/daemon/node-fit.js';
import { daemonTolerations, withDaemonTolerations } from '../../../src/daemon/tolerations.js';

function node(name: string, labels: Record<string, string> = {}, taints: Taint[] = [], unschedulable = false): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints, unschedulable } };
}
const spec = (extra: Partial<PodSpec> = {}): PodSpec => ({ containers: [{ name: 'c', image: 'x.wasm' }], ...extra });
const term = (key: string, operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt', values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
const affinity = (...terms: ReturnType<typeof term>[]): Partial<PodSpec> => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });

describe('nodeShouldRunDaemonPod', () => {
  it.each([
    { name: 'plain node', spec: spec(), node: node('n1'), want: [true, true] },
    { name: 'nodeSelector matches', spec: spec({ nodeSelector: { disk: 'ssd' } }), node: node('n1', { disk: 'ssd' }), want: [true, true] },
    { name: 'nodeSelector differs', spec: spec({ nodeSelector: { disk: 'ssd' } }), node: node('n1', { disk: 'hdd' }), want: [false, false] },
    { name: 'nodeSelector label missing', spec: spec({ nodeSelector: { disk: 'ssd' } }), node: node('n1'), want: [false, false] },
    { name: 'affinity In matches', spec: spec(affinity(term('zone', 'In', ['a', 'b']))), node: node('n1', { zone: 'b' }), want: [true, true] },
    { name: 'affinity NotIn excludes', spec: spec(affinity(term('zone', 'NotIn', ['a']))), node: node('n1', { zone: 'a' }), want: [false, false] },
    { name: 'affinity terms are ORed', spec: spec(affinity(term('zone', 'In', ['x']), term('gpu', 'Exists'))), node: node('n1', { gpu: '1' }), want: [true, true] },
    { name: 'affinity Gt', spec: spec(affinity(term('cores', 'Gt', ['4']))), node: node('n1', { cores: '8' }), want: [true, true] },
    { name: 'affinity Lt fails', spec: spec(affinity(term('cores', 'Lt', ['4']))), node: node('n1', { cores: '8' }), want: [false, false] },
    {
      name: 'matchFields metadata.name',
      spec: spec({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }] } } } }),
      node: node('n1'),
      want: [false, false],
    },
    { name: 'untolerated NoSchedule: no new pod, the old stays', spec: spec(), node: node('n1', {}, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]), want: [false, true] },
    { name: 'untolerated NoExecute: pod goes', spec: spec(), node: node('n1', {}, [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]), want: [false, false] },
    { name: 'PreferNoSchedule ignored', spec: spec(), node: node('n1', {}, [{ key: 'dedicated', effect: 'PreferNoSchedule' }]), want: [true, true] },
    {
      name: 'tolerated taint',
      spec: spec({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute' }] }),
      node: node('n1', {}, [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]),
      want: [true, true],
    },
    { name: 'cordoned node still runs daemons', spec: spec(), node: node('n1', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }], true), want: [true, true] },
    { name: 'not-ready NoExecute tolerated by default', spec: spec(), node: node('n1', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), want: [true, true] },
    { name: 'unreachable NoExecute tolerated by default', spec: spec(), node: node('n1', {}, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]), want: [true, true] },
    { name: 'memory-pressure tolerated by default', spec: spec(), node: node('n1', {}, [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }]), want: [true, true] },
    { name: 'network-unavailable: not without hostNetwork', spec: spec(), node: node('n1', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), want: [false, true] },
    { name: 'network-unavailable: hostNetwork tolerates', spec: spec({ hostNetwork: true }), node: node('n1', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), want: [true, true] },
    { name: 'nodeName pins elsewhere', spec: spec({ nodeName: 'n2' }), node: node('n1'), want: [false, false] },
  ])('$name', ({ spec: s, node: n, want }) => {
    const fit = nodeShouldRunDaemonPod(s, n);
    expect([fit.shouldRun, fit.shouldContinueRunning]).toEqual(want);
  });
});

describe('withDaemonTolerations', () => {
  it.each([
    { name: 'adds the six defaults', spec: spec(), want: 6 },
    { name: 'adds network-unavailable for host networking', spec: spec({ hostNetwork: true }), want: 7 },
    { name: 'keeps the template’s own', spec: spec({ tolerations: [{ key: 'a', operator: 'Exists' }] }), want: 7 },
    { name: 'replaces a template toleration of the same key and effect', spec: spec({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] }), want: 6 },
  ])('$name', ({ spec: s, want }) => {
    const out = withDaemonTolerations(s);
    expect(out.tolerations).toHaveLength(want);
    expect(out.tolerations?.find((t) => t.key === 'node.kubernetes.io/not-ready')?.tolerationSeconds).toBeUndefined();
  });

  it('does not touch its input', () => {
    const s = spec();
    withDaemonTolerations(s);
    expect(s.tolerations).toBeUndefined();
    expect(daemonTolerations(false).every((t) => t.operator === 'Exists')).toBe(true);
  });
});

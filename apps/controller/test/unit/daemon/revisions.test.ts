// Table tests of DaemonSet revisions (src/history/revisions.ts), pod pinning (daemon-pod.ts) and
// status counting (status.ts).
import { describe, expect, it } from 'vitest';
import type { ControllerRevision, DaemonSet, Pod, PodTemplateSpec } from '@kite/api-types';
import { newDaemonPod, pinToNode, targetNodeName } from '../../../src/daemon/daemon-pod.js';
import { newRevision, revisionData, revisionHash, revisionMatches, revisionTemplate, revisionsToDelete, templateHash } from '../../../src/history/revisions.js';
import { computeStatus } from '../../../src/daemon/status.js';

const template = (image: string, extra: Record<string, unknown> = {}): PodTemplateSpec => ({ metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image }], ...extra } });
const ds = (image: string, collisionCount?: number): DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'ns', uid: 'uid-1', annotations: { 'kubernetes.io/change-cause': 'v1' } },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: template(image) },
  ...(collisionCount !== undefined ? { status: { collisionCount } } : {}),
});
const rev = (revision: number, hash: string): ControllerRevision => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: `agent-${hash}`, labels: { 'controller-revision-hash': hash } }, data: {}, revision });

describe('templateHash', () => {
  it.each([
    { name: 'same template, same hash', a: ds('a.wasm'), b: ds('a.wasm'), equal: true },
    { name: 'different image', a: ds('a.wasm'), b: ds('b.wasm'), equal: false },
    { name: 'collision count changes it', a: ds('a.wasm'), b: ds('a.wasm', 1), equal: false },
    { name: 'collision count 0 is none', a: ds('a.wasm'), b: ds('a.wasm', 0), equal: true },
  ])('$name', ({ a, b, equal }) => {
    expect(templateHash(a) === templateHash(b)).toBe(equal);
    expect(templateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
});

describe('revisions', () => {
  it('a new revision is the replace patch kubectl rollout undo applies, named and labelled by hash', () => {
    const d = ds('a.wasm');
    const cr = newRevision(d, 3);
    const hash = templateHash(d);
    expect(cr.metadata.name).toBe(`agent-${hash}`);
    expect(cr.metadata.labels).toEqual({ app: 'agent', 'controller-revision-hash': hash });
    expect(cr.metadata.annotations?.['kubernetes.io/change-cause']).toBe('v1');
    expect(cr.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'agent', uid: 'uid-1', controller: true });
    expect(cr.revision).toBe(3);
    expect(cr.data).toEqual({ spec: { template: { ...template('a.wasm'), $patch: 'replace' } } });
    expect(revisionTemplate(cr)).toEqual(template('a.wasm'));
    expect(revisionHash(cr)).toBe(hash);
  });

  it.each([
    { name: 'equal', stored: template('a.wasm'), current: template('a.wasm'), want: true },
    { name: 'empty values mean absent', stored: template('a.wasm', { nodeSelector: {} }), current: template('a.wasm'), want: true },
    { name: 'different image', stored: template('a.wasm'), current: template('b.wasm'), want: false },
  ])('revisionMatches: $name', ({ stored, current, want }) => {
    const cr: ControllerRevision = { ...rev(1, 'h'), data: revisionData(stored) };
    expect(revisionMatches(cr, current)).toBe(want);
  });

  it.each([
    { name: 'within the limit', old: [rev(1, 'a'), rev(2, 'b')], limit: 2, live: [], want: [] },
    { name: 'oldest go first', old: [rev(3, 'c'), rev(1, 'a'), rev(2, 'b')], limit: 1, live: [], want: ['a', 'b'] },
    { name: 'live revisions stay', old: [rev(1, 'a'), rev(2, 'b'), rev(3, 'c')], limit: 1, live: ['a'], want: ['b', 'c'] },
    { name: 'limit 0 drops every unused one', old: [rev(1, 'a'), rev(2, 'b')], limit: 0, live: ['b'], want: ['a'] },
  ])('revisionsToDelete: $name', ({ old, limit, live, want }) => {
    expect(revisionsToDelete(old, limit, new Set(live)).map(revisionHash)).toEqual(want);
  });
});

describe('daemon pods', () => {
  it('pins the pod to its node, keeps preferred terms, adds tolerations and the hash label', () => {
    const d = ds('a.wasm');
    const pod = newDaemonPod(d, 'node-1', 'h1');
    expect(pod.metadata.generateName).toBe('agent-');
    expect(pod.metadata.labels).toEqual({ app: 'agent', 'controller-revision-hash': 'h1' });
    expect(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }]);
    expect(pod.spec?.tolerations?.map((t) => t.key)).toContain('node.kubernetes.io/unreachable');
    expect(targetNodeName(pod)).toBe('node-1');
    const pref = { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'z', operator: 'Exists' as const }] } }] };
    expect(pinToNode({ nodeAffinity: pref }, 'n').nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution).toEqual(pref.preferredDuringSchedulingIgnoredDuringExecution);
  });

  it.each([
    { name: 'bound', pod: { spec: { nodeName: 'n2', containers: [] } }, want: 'n2' },
    { name: 'pinned only', pod: { spec: { containers: [], affinity: pinToNode(undefined, 'n3') } }, want: 'n3' },
    { name: 'neither', pod: { spec: { containers: [] } }, want: undefined },
  ])('targetNodeName: $name', ({ pod, want }) => {
    expect(targetNodeName({ apiVersion: 'v1', kind: 'Pod', metadata: {}, ...pod } as Pod)).toBe(want);
  });
});

describe('computeStatus', () => {
  const p = (hash: string, ready: boolean): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${hash}-${String(ready)}`, labels: { 'controller-revision-hash': hash }, creationTimestamp: '2026-01-01T00:00:00Z' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  });
  it('counts desired, current, ready, available, updated and misscheduled nodes', () => {
    const fits = new Map([
      ['a', { shouldRun: true, shouldContinueRunning: true }],
      ['b', { shouldRun: true, shouldContinueRunning: true }],
      ['c', { shouldRun: true, shouldContinueRunning: true }],
      ['d', { shouldRun: false, shouldContinueRunning: false }],
    ]);
    const podsByNode = new Map([
      ['a', [p('new', true)]],
      ['b', [p('old', false)]],
      ['d', [p('old', true)]],
    ]);
    const d = { ...ds('a.wasm'), metadata: { ...ds('a.wasm').metadata, generation: 4 } };
    expect(computeStatus({ ds: d, fits, podsByNode, hash: 'new', now: Date.parse('2026-01-02T00:00:00Z') })).toEqual({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 2,
      numberMisscheduled: 1,
      numberReady: 1,
      numberAvailable: 1,
      numberUnavailable: 2,
      updatedNumberScheduled: 1,
      observedGeneration: 4,
    });
  });
});

// Table tests of the StatefulSet plan (src/statefulset/plan.ts), identity (identity.ts) and status
// (status.ts): ordered and parallel creation, scale-down order, the rolling update's partition
// and maxUnavailable, and what a pod and its claims look like.
import { describe, expect, it } from 'vitest';
import type { Pod, StatefulSet } from '@kite/api-types';
import { claimName, newStatefulPod, ordinalOf, podClaims } from '../../../src/statefulset/identity.js';
import { maxUnavailableOf, planStatefulSet, type Plan } from '../../../src/statefulset/plan.js';
import { computeStatus } from '../../../src/statefulset/status.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const CUR = 'web-aaa';
const UPD = 'web-bbb';

function set(spec: Partial<NonNullable<StatefulSet['spec']>> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'db', uid: 'sts-uid', generation: 2 },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, serviceName: 'web', template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, ...spec },
  };
}

type PodState = 'ready' | 'pending' | 'failed' | 'terminating';
function pod(ordinal: number, state: PodState = 'ready', revision = CUR): Pod {
  const ready = state === 'ready';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${ordinal}`, namespace: 'db', uid: `u${ordinal}`, labels: { app: 'web', 'controller-revision-hash': revision }, ...(state === 'terminating' ? { deletionTimestamp: '2026-12-07T11:59:00Z' } : {}) },
    spec: { containers: [] },
    status: { phase: state === 'failed' ? 'Failed' : ready ? 'Running' : 'Pending', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-12-07T11:00:00Z' }] },
  };
}

function plan(s: StatefulSet, pods: Pod[], revisions = { current: CUR, update: CUR }): Plan {
  const byOrdinal = new Map(pods.map((p) => [ordinalOf(s, p) ?? -1, p] as const));
  return planStatefulSet({ set: s, pods: byOrdinal, currentRevision: revisions.current, updateRevision: revisions.update, now: NOW });
}

/** Actions as short strings: `+2@rev`, `-1(why)`. */
const short = (p: Plan) => p.actions.map((a) => (a.kind === 'create' ? `+${a.ordinal}@${a.revision}` : `-${ordinalOf(set(), a.pod) ?? '?'}(${a.why})`));

describe('planStatefulSet: OrderedReady', () => {
  it.each<[string, Pod[], string[]]>([
    ['creates web-0 first', [], [`+0@${CUR}`]],
    ['creates the next ordinal once the lower ones are Ready', [pod(0)], [`+1@${CUR}`]],
    ['waits while a lower ordinal is not Ready', [pod(0, 'pending')], []],
    ['fills a gap before anything else', [pod(0), pod(2)], [`+1@${CUR}`]],
    ['replaces a failed pod (delete, then create on the next sync)', [pod(0), pod(1, 'failed'), pod(2)], ['-1(failed)']],
    ['waits for a terminating pod to go', [pod(0), pod(1, 'terminating'), pod(2)], []],
    ['deletes the highest condemned pod first, one at a time', [pod(0), pod(1), pod(2), pod(3), pod(4)], ['-4(condemned)']],
    ['has nothing to do when all are Ready', [pod(0), pod(1), pod(2)], []],
  ])('%s', (_what, pods, want) => {
    expect(short(plan(set(), pods))).toEqual(want);
  });

  it('does not scale down while a slot is unhealthy', () => {
    expect(short(plan(set({ replicas: 2 }), [pod(0, 'pending'), pod(1), pod(2)]))).toEqual([]);
  });

  it('counts from spec.ordinals.start', () => {
    expect(short(plan(set({ ordinals: { start: 5 } }), [pod(5)]))).toEqual([`+6@${CUR}`]);
    expect(short(plan(set({ ordinals: { start: 5 }, replicas: 1 }), [pod(0), pod(5)]))).toEqual(['-0(condemned)']);
  });
});

describe('planStatefulSet: Parallel', () => {
  it('creates every missing pod at once and deletes every condemned pod at once', () => {
    expect(short(plan(set({ podManagementPolicy: 'Parallel' }), [pod(1, 'pending')]))).toEqual([`+0@${CUR}`, `+2@${CUR}`]);
    expect(short(plan(set({ podManagementPolicy: 'Parallel', replicas: 1 }), [pod(0), pod(1), pod(2, 'pending')]))).toEqual(['-2(condemned)', '-1(condemned)']);
  });
});

describe('planStatefulSet: updates', () => {
  const rolling = { current: CUR, update: UPD };
  it('RollingUpdate replaces the highest outdated pod first, one at a time', () => {
    expect(short(plan(set(), [pod(0), pod(1), pod(2)], rolling))).toEqual(['-2(update)']);
    expect(short(plan(set(), [pod(0), pod(1), pod(2, 'pending', UPD)], rolling))).toEqual([]);
    expect(short(plan(set(), [pod(0), pod(1), pod(2, 'ready', UPD)], rolling))).toEqual(['-1(update)']);
  });

  it('re-creates from the update revision at or above the partition, the current one below it', () => {
    const s = set({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    expect(short(plan(s, [pod(0), pod(1)], rolling))).toEqual([`+2@${UPD}`]);
    expect(short(plan(s, [pod(1)], rolling))).toEqual([`+0@${CUR}`]);
    // Below the partition nothing is updated.
    expect(short(plan(s, [pod(0), pod(1), pod(2, 'ready', UPD)], rolling))).toEqual([]);
  });

  it('maxUnavailable lets several pods go at once, counting the unavailable ones', () => {
    const s = set({ replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } });
    expect(short(plan(s, [pod(0), pod(1), pod(2), pod(3)], rolling))).toEqual(['-3(update)', '-2(update)']);
    expect(maxUnavailableOf(set({ replicas: 10, updateStrategy: { rollingUpdate: { maxUnavailable: '25%' } } }))).toBe(2);
    expect(maxUnavailableOf(set({ replicas: 2, updateStrategy: { rollingUpdate: { maxUnavailable: '10%' } } }))).toBe(1);
  });

  it('OnDelete leaves outdated pods alone and re-creates deleted ones from the update revision', () => {
    const s = set({ updateStrategy: { type: 'OnDelete' } });
    expect(short(plan(s, [pod(0), pod(1), pod(2)], rolling))).toEqual([]);
    expect(short(plan(s, [pod(0), pod(1)], rolling))).toEqual([`+2@${UPD}`]);
  });
});

describe('identity', () => {
  const s = set({ volumeClaimTemplates: [{ metadata: { name: 'data', labels: { tier: 'db' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] });

  it('names pods SET-N, parses ordinals strictly', () => {
    expect(ordinalOf(s, pod(12))).toBe(12);
    for (const name of ['web-', 'web-01', 'web-x', 'webx-1', 'other-1', 'web--1']) expect(ordinalOf(s, { ...pod(0), metadata: { name } })).toBeUndefined();
  });

  it('gives the pod its hostname, subdomain, labels and claim volume', () => {
    const p = newStatefulPod(s, { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'data', emptyDir: {} }, { name: 'tmp', emptyDir: {} }] } }, 1, UPD);
    expect(p.metadata).toMatchObject({ name: 'web-1', namespace: 'db', labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': UPD } });
    expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'StatefulSet', name: 'web', uid: 'sts-uid', controller: true });
    expect(p.spec).toMatchObject({ hostname: 'web-1', subdomain: 'web' });
    expect(p.spec?.volumes).toEqual([{ name: 'tmp', emptyDir: {} }, { name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } }]);
  });

  it('makes one claim per template per ordinal, owned by the set only when whenDeleted is Delete', () => {
    const [claim] = podClaims(s, 2);
    expect(claimName(s.spec?.volumeClaimTemplates?.[0] ?? {}, s, 2)).toBe('data-web-2');
    expect(claim?.metadata).toMatchObject({ name: 'data-web-2', namespace: 'db', labels: { tier: 'db', app: 'web' } });
    expect(claim?.metadata.ownerReferences).toBeUndefined();
    const deleting = set({ ...s.spec, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
    expect(podClaims(deleting, 0)[0]?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'StatefulSet', uid: 'sts-uid', controller: false });
  });
});

describe('computeStatus', () => {
  it('counts replicas, ready, current and updated; completes a rolling update once all are updated and Ready', () => {
    const s = set();
    const mid = computeStatus({ set: s, pods: [pod(0), pod(1), pod(2, 'pending', UPD)], currentRevision: CUR, updateRevision: UPD, now: NOW });
    expect(mid).toMatchObject({ observedGeneration: 2, replicas: 3, readyReplicas: 2, availableReplicas: 2, currentReplicas: 2, updatedReplicas: 1, currentRevision: CUR, updateRevision: UPD });
    const done = computeStatus({ set: s, pods: [pod(0, 'ready', UPD), pod(1, 'ready', UPD), pod(2, 'ready', UPD)], currentRevision: CUR, updateRevision: UPD, now: NOW });
    expect(done).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: UPD, updateRevision: UPD });
  });

  it('counts availability with minReadySeconds', () => {
    const s = set({ minReadySeconds: 7200 });
    expect(computeStatus({ set: s, pods: [pod(0)], currentRevision: CUR, updateRevision: CUR, now: NOW }).availableReplicas).toBe(0);
  });
});

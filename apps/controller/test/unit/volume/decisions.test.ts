// Table tests of the binder's phase logic: what it does for a claim (claim-decision.ts) and for a
// volume (volume-decision.ts), plus the expander's and the protection controllers' predicates.
import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '@kite/api-types';
import { classNotFoundMessage, decideClaim, NO_CLASS_MESSAGE, WAIT_FOR_CONSUMER_MESSAGE } from '../../../src/volume/claim-decision.js';
import { pendingExpansion } from '../../../src/volume/expander.js';
import { podHoldsClaim } from '../../../src/volume/protection.js';
import { decideVolume } from '../../../src/volume/volume-decision.js';
import { claim, storageClass, view, volume } from './fixtures.js';

const BOUND = { 'pv.kubernetes.io/bind-completed': 'yes' };
const SELECTED = { 'volume.kubernetes.io/selected-node': 'n1' };

interface ClaimCase {
  name: string;
  claim: PersistentVolumeClaim;
  volumes?: PersistentVolume[];
  classes?: StorageClass[];
  want: { kind: string; volume?: string; reason?: string; message?: string; node?: string };
}

describe('decideClaim', () => {
  it.each<ClaimCase>([
    { name: 'binds a fitting static volume', claim: claim('c'), volumes: [volume('a')], want: { kind: 'bind', volume: 'a' } },
    { name: 'no volume and no class', claim: claim('c'), want: { kind: 'pending', reason: 'FailedBinding', message: NO_CLASS_MESSAGE } },
    { name: 'missing class', claim: claim('c', { className: 'gold' }), want: { kind: 'pending', reason: 'ProvisioningFailed', message: classNotFoundMessage('gold') } },
    { name: 'Immediate class provisions at once', claim: claim('c', { className: 'fast' }), classes: [storageClass('fast')], want: { kind: 'provision' } },
    { name: 'WaitForFirstConsumer waits for the scheduler', claim: claim('c', { className: 'lp' }), classes: [storageClass('lp', 'WaitForFirstConsumer')], volumes: [volume('a', { className: 'lp' })], want: { kind: 'pending', reason: 'WaitForFirstConsumer', message: WAIT_FOR_CONSUMER_MESSAGE } },
    { name: 'WaitForFirstConsumer binds a volume the scheduler pre-bound', claim: claim('c', { className: 'lp' }), classes: [storageClass('lp', 'WaitForFirstConsumer')], volumes: [volume('a', { className: 'lp' }), volume('chosen', { className: 'lp', claimRef: { name: 'c', uid: 'uid-c' }, size: '9Gi' })], want: { kind: 'bind', volume: 'chosen' } },
    { name: 'WaitForFirstConsumer with a selected node provisions there', claim: claim('c', { className: 'lp', annotations: SELECTED }), classes: [storageClass('lp', 'WaitForFirstConsumer')], want: { kind: 'provision', node: 'n1' } },
    { name: 'WaitForFirstConsumer binds a static volume the node reaches', claim: claim('c', { className: 'lp', annotations: SELECTED }), classes: [storageClass('lp', 'WaitForFirstConsumer')], volumes: [volume('far', { className: 'lp', node: 'n2' }), volume('near', { className: 'lp', node: 'n1', size: '8Gi' })], want: { kind: 'bind', volume: 'near' } },
    { name: 'pre-bound to a missing volume', claim: claim('c', { volumeName: 'gone' }), want: { kind: 'pending' } },
    { name: 'pre-bound to a free volume', claim: claim('c', { volumeName: 'a' }), volumes: [volume('a')], want: { kind: 'bind', volume: 'a' } },
    { name: 'pre-bound to a too small volume', claim: claim('c', { volumeName: 'a', size: '9Gi' }), volumes: [volume('a')], want: { kind: 'pending', reason: 'VolumeMismatch', message: 'Cannot bind to requested volume "a": requested PV is too small' } },
    { name: 'pre-bound to a volume taken by another', claim: claim('c', { volumeName: 'a' }), volumes: [volume('a', { claimRef: { name: 'x', uid: 'u' } })], want: { kind: 'pending', reason: 'FailedBinding', message: 'volume "a" already bound to a different claim.' } },
    { name: 'bound: re-asserts the binding', claim: claim('c', { volumeName: 'a', annotations: BOUND, phase: 'Bound' }), volumes: [volume('a', { claimRef: { name: 'c', uid: 'uid-c' } })], want: { kind: 'bind', volume: 'a' } },
    { name: 'bound: volume gone is Lost', claim: claim('c', { volumeName: 'a', annotations: BOUND }), want: { kind: 'lost', reason: 'ClaimLost' } },
    { name: 'bound: volume claimed by another is Lost', claim: claim('c', { volumeName: 'a', annotations: BOUND }), volumes: [volume('a', { claimRef: { name: 'c', uid: 'other' } })], want: { kind: 'lost', reason: 'ClaimMisbound' } },
  ])('$name', ({ claim: c, volumes = [], classes = [], want }) => {
    const got = decideClaim(c, view(volumes, classes));
    expect(got.kind).toBe(want.kind);
    if (want.volume) expect(got.kind === 'bind' && got.volume.metadata.name).toBe(want.volume);
    if (want.node) expect(got.kind === 'provision' && got.node).toBe(want.node);
    const event = got.kind === 'pending' || got.kind === 'lost' ? got.event : undefined;
    if (want.reason) expect(event?.reason).toBe(want.reason);
    if (want.message) expect(event?.message).toBe(want.message);
  });
});

interface VolumeCase {
  name: string;
  pv: PersistentVolume;
  claim?: PersistentVolumeClaim;
  want: ReturnType<typeof decideVolume>;
}

const boundClaim = claim('c', { volumeName: 'a', annotations: BOUND, phase: 'Bound' });

describe('decideVolume', () => {
  it.each<VolumeCase>([
    { name: 'new volume becomes Available', pv: volume('a', { phase: 'Pending' }), want: { kind: 'phase', phase: 'Available' } },
    { name: 'Available stays', pv: volume('a'), want: { kind: 'none' } },
    { name: 'user pre-bound, claim not yet bound: Available', pv: volume('a', { claimRef: { name: 'c' }, phase: 'Pending' }), want: { kind: 'phase', phase: 'Available' } },
    { name: 'bound claim → Bound', pv: volume('a', { claimRef: { name: 'c', uid: 'uid-c' } }), claim: boundClaim, want: { kind: 'phase', phase: 'Bound' } },
    { name: 'claim not bound yet → wait', pv: volume('a', { claimRef: { name: 'c', uid: 'uid-c' } }), claim: claim('c'), want: { kind: 'none' } },
    { name: 'claim gone → release', pv: volume('a', { claimRef: { name: 'c', uid: 'uid-c' }, phase: 'Bound' }), want: { kind: 'release' } },
    { name: 'claim recreated with another uid → release', pv: volume('a', { claimRef: { name: 'c', uid: 'old' }, phase: 'Bound' }), claim: boundClaim, want: { kind: 'release' } },
    { name: 'Released + Retain', pv: volume('a', { claimRef: { name: 'c', uid: 'old' }, phase: 'Released' }), want: { kind: 'reclaim', policy: 'Retain' } },
    { name: 'Released + Delete', pv: volume('a', { claimRef: { name: 'c', uid: 'old' }, phase: 'Released', reclaim: 'Delete' }), want: { kind: 'reclaim', policy: 'Delete' } },
    { name: 'Failed stays', pv: volume('a', { claimRef: { name: 'c', uid: 'old' }, phase: 'Failed' }), want: { kind: 'none' } },
    {
      name: 'claim bound elsewhere, bound by controller → unbind',
      pv: volume('a', { claimRef: { name: 'c', uid: 'uid-c' }, phase: 'Bound', annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } }),
      claim: claim('c', { volumeName: 'b', annotations: BOUND }),
      want: { kind: 'unbind' },
    },
    { name: 'claim bound elsewhere, pre-bound by user → leave', pv: volume('a', { claimRef: { name: 'c', uid: 'uid-c' }, phase: 'Bound' }), claim: claim('c', { volumeName: 'b', annotations: BOUND }), want: { kind: 'none' } },
  ])('$name', ({ pv, claim: c, want }) => expect(decideVolume(pv, c)).toEqual(want));
});

describe('pendingExpansion', () => {
  const grown = (phase: 'Bound' | 'Pending', want: string, have: string | undefined): PersistentVolumeClaim => {
    const c = claim('c', { size: want, phase });
    if (have) c.status = { ...c.status, capacity: { storage: have } };
    return c;
  };
  it.each([
    { name: 'grown and bound', pvc: grown('Bound', '2Gi', '1Gi'), want: '2Gi' },
    { name: 'same size', pvc: grown('Bound', '1Gi', '1Gi'), want: undefined },
    { name: 'not bound', pvc: grown('Pending', '2Gi', '1Gi'), want: undefined },
    { name: 'no capacity yet', pvc: grown('Bound', '2Gi', undefined), want: undefined },
  ])('$name', ({ pvc, want }) => expect(pendingExpansion(pvc)).toBe(want));
});

describe('podHoldsClaim', () => {
  const pod = (o: { nodeName?: string; phase?: 'Running' | 'Succeeded' | 'Failed' | 'Pending'; claim?: string; ephemeral?: boolean }): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: {
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      containers: [{ name: 'c', image: 'x' }],
      volumes: [o.ephemeral ? ({ name: 'data', ephemeral: {} } as never) : { name: 'data', persistentVolumeClaim: { claimName: o.claim ?? 'c' } }],
    },
    status: { phase: o.phase ?? 'Running' },
  });
  it.each([
    { name: 'running pod on a node', pod: pod({ nodeName: 'n1' }), claim: 'c', want: true },
    { name: 'unscheduled pod', pod: pod({}), claim: 'c', want: false },
    { name: 'terminated pod', pod: pod({ nodeName: 'n1', phase: 'Succeeded' }), claim: 'c', want: false },
    { name: 'another claim', pod: pod({ nodeName: 'n1', claim: 'other' }), claim: 'c', want: false },
    { name: 'ephemeral volume claim', pod: pod({ nodeName: 'n1', ephemeral: true }), claim: 'p-data', want: true },
  ])('$name', ({ pod: p, claim: c, want }) => expect(podHoldsClaim(p, c)).toBe(want));
});

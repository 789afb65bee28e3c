import type { AccessMode, PersistentVolume, PersistentVolumeClaim, StorageClass } from '@kite/api-types';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../src/framework/cycle-state.js';
import type { NodeInfo } from '../../src/framework/node-info.js';
import { podInfoFor } from '../../src/framework/pod-info.js';
import { Code } from '../../src/framework/status.js';
import type { VolumeAccess } from '../../src/framework/volumes.js';
import { findMatchingVolume, SELECTED_NODE_ANNOTATION } from '../../src/plugins/volume-binding/claims.js';
import { checkBindings } from '../../src/plugins/volume-binding/prebind.js';
import { VolumeBinding } from '../../src/plugins/volume-binding/volume-binding.js';
import { cacheWith, node, pod } from '../helpers/builders.js';

const HOST = 'kubernetes.io/hostname';

function claim(name: string, extra: { className?: string; volumeName?: string; size?: string; deleting?: boolean; modes?: AccessMode[]; selector?: Record<string, string>; annotations?: Record<string, string> } = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}), ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      accessModes: extra.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: extra.size ?? '1Gi' } },
      ...(extra.className !== undefined ? { storageClassName: extra.className } : {}),
      ...(extra.volumeName ? { volumeName: extra.volumeName } : {}),
      ...(extra.selector ? { selector: { matchLabels: extra.selector } } : {}),
    },
  };
}

function volume(name: string, extra: { className?: string; size?: string; node?: string; phase?: 'Available' | 'Bound' | 'Pending'; claimRef?: string; labels?: Record<string, string>; modes?: AccessMode[] } = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: {
      capacity: { storage: extra.size ?? '1Gi' },
      accessModes: extra.modes ?? ['ReadWriteOnce'],
      hostPath: { path: `/tmp/${name}` },
      ...(extra.className !== undefined ? { storageClassName: extra.className } : {}),
      ...(extra.node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOST, operator: 'In', values: [extra.node] }] }] } } } : {}),
      ...(extra.claimRef ? { claimRef: { namespace: 'default', name: extra.claimRef, uid: `uid-${extra.claimRef}` } } : {}),
    },
    status: { phase: extra.phase ?? 'Available' },
  };
}

function storageClass(name: string, mode: 'Immediate' | 'WaitForFirstConsumer', provisioner = 'kite.dev/local-path'): StorageClass {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, volumeBindingMode: mode };
}

function access(claims: PersistentVolumeClaim[], volumes: PersistentVolume[], classes: StorageClass[] = []): VolumeAccess & { writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    bindTimeoutMs: 1000,
    claim: (ns, name) => claims.find((c) => c.metadata.namespace === ns && c.metadata.name === name),
    volume: (name) => volumes.find((v) => v.metadata.name === name),
    volumes: () => volumes,
    storageClass: (name) => classes.find((c) => c.metadata.name === name),
    annotateClaim: (_ns, name, key, value) => Promise.resolve(void writes.push(`annotate ${name} ${key}=${value}`)),
    setClaimRef: (pv, c) => Promise.resolve(void writes.push(`claimRef ${pv} -> ${c.metadata.name ?? ''}`)),
  };
}

const podWithClaims = (...names: string[]) => pod('p', {}, { spec: { volumes: names.map((n) => ({ name: n, persistentVolumeClaim: { claimName: n } })) } });
const wffc = storageClass('local-path', 'WaitForFirstConsumer');
const wffcStatic = storageClass('static', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner');
const immediate = storageClass('fast', 'Immediate');
const nodes = [node('a'), node('b')];

interface Case {
  name: string;
  claims: PersistentVolumeClaim[];
  volumes?: PersistentVolume[];
  want: Record<string, Code>;
  reason?: string;
}

describe('VolumeBinding PreFilter and Filter', () => {
  it.each<Case>([
    { name: 'missing claim', claims: [], want: { a: Code.UnschedulableAndUnresolvable, b: Code.UnschedulableAndUnresolvable }, reason: 'persistentvolumeclaim "data" not found' },
    { name: 'claim being deleted', claims: [claim('data', { deleting: true })], want: { a: Code.UnschedulableAndUnresolvable, b: Code.UnschedulableAndUnresolvable }, reason: 'persistentvolumeclaim "data" is being deleted' },
    { name: 'unbound claim of an Immediate class', claims: [claim('data', { className: 'fast' })], want: { a: Code.UnschedulableAndUnresolvable, b: Code.UnschedulableAndUnresolvable }, reason: 'pod has unbound immediate PersistentVolumeClaims' },
    { name: 'unbound claim of no class', claims: [claim('data', { className: '' })], want: { a: Code.UnschedulableAndUnresolvable, b: Code.UnschedulableAndUnresolvable }, reason: 'pod has unbound immediate PersistentVolumeClaims' },
    { name: 'unbound claim of a missing class', claims: [claim('data', { className: 'gold' })], want: { a: Code.UnschedulableAndUnresolvable, b: Code.UnschedulableAndUnresolvable }, reason: 'storageclass.storage.k8s.io "gold" not found' },
    { name: 'bound, volume without affinity', claims: [claim('data', { volumeName: 'pv1' })], volumes: [volume('pv1', { claimRef: 'data', phase: 'Bound' })], want: { a: Code.Success, b: Code.Success } },
    { name: 'bound, volume on node b', claims: [claim('data', { volumeName: 'pv1' })], volumes: [volume('pv1', { node: 'b', claimRef: 'data' })], want: { a: Code.UnschedulableAndUnresolvable, b: Code.Success }, reason: 'node(s) had volume node affinity conflict' },
    { name: 'bound to a missing volume', claims: [claim('data', { volumeName: 'gone' })], want: { a: Code.UnschedulableAndUnresolvable, b: Code.UnschedulableAndUnresolvable }, reason: 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)' },
    { name: 'WFFC with a provisioner fits every node', claims: [claim('data', { className: 'local-path' })], want: { a: Code.Success, b: Code.Success } },
    { name: 'WFFC without provisioner, static volume on a', claims: [claim('data', { className: 'static' })], volumes: [volume('pv1', { className: 'static', node: 'a' })], want: { a: Code.Success, b: Code.UnschedulableAndUnresolvable }, reason: "node(s) didn't find available persistent volumes to bind" },
    { name: 'WFFC without provisioner, volume too small', claims: [claim('data', { className: 'static', size: '2Gi' })], volumes: [volume('pv1', { className: 'static' })], want: { a: Code.UnschedulableAndUnresolvable, b: Code.UnschedulableAndUnresolvable } },
    { name: 'two claims, one volume: the second finds none', claims: [claim('d1', { className: 'static' }), claim('d2', { className: 'static' })], volumes: [volume('pv1', { className: 'static' })], want: { a: Code.UnschedulableAndUnresolvable, b: Code.UnschedulableAndUnresolvable } },
  ])('$name', ({ claims, volumes = [], want, reason }) => {
    const names = claims.length ? claims.map((c) => c.metadata.name ?? '') : ['data'];
    const plugin = new VolumeBinding(access(claims, volumes, [wffc, wffcStatic, immediate]));
    const cache = cacheWith(nodes);
    const info = podInfoFor(podWithClaims(...names));
    const got: Record<string, Code> = {};
    const reasons = new Set<string>();
    for (const n of ['a', 'b']) {
      const state = new CycleState();
      const pre = plugin.preFilter(state, info);
      const s = pre.isSuccess() ? plugin.filter(state, info, cache.nodeInfo(n) as NodeInfo) : pre;
      got[n] = s.code;
      for (const r of s.reasons) reasons.add(r);
    }
    expect(got).toEqual(want);
    if (reason) expect([...reasons]).toEqual([reason]);
  });

  it('skips pods without claims', () => {
    expect(new VolumeBinding(access([], [])).preFilter(new CycleState(), podInfoFor(pod('p'))).code).toBe(Code.Skip);
  });
});

describe('findMatchingVolume', () => {
  const nodeA = { name: 'a', labels: { [HOST]: 'a' } };
  it.each<{ name: string; claim: PersistentVolumeClaim; volumes: PersistentVolume[]; taken?: string[]; want: string | undefined }>([
    { name: 'smallest fitting volume wins', claim: claim('c', { className: 's' }), volumes: [volume('big', { className: 's', size: '10Gi' }), volume('small', { className: 's', size: '2Gi' }), volume('tiny', { className: 's', size: '500Mi' })], want: 'small' },
    { name: 'class must match', claim: claim('c', { className: 's' }), volumes: [volume('v', { className: 'other' })], want: undefined },
    { name: 'access modes must be offered', claim: claim('c', { className: 's', modes: ['ReadWriteMany'] }), volumes: [volume('v', { className: 's' })], want: undefined },
    { name: 'selector must match labels', claim: claim('c', { className: 's', selector: { tier: 'db' } }), volumes: [volume('v1', { className: 's', labels: { tier: 'web' } }), volume('v2', { className: 's', labels: { tier: 'db' } })], want: 'v2' },
    { name: 'only Available volumes', claim: claim('c', { className: 's' }), volumes: [volume('v', { className: 's', phase: 'Pending' })], want: undefined },
    { name: 'volume of another node', claim: claim('c', { className: 's' }), volumes: [volume('v', { className: 's', node: 'b' })], want: undefined },
    { name: 'volume pre-bound to the claim', claim: claim('c', { className: 's' }), volumes: [volume('v', { className: 's', size: '5Gi' }), volume('mine', { className: 's', size: '9Gi', claimRef: 'c', phase: 'Pending' })], want: 'mine' },
    { name: 'volume pre-bound to another claim', claim: claim('c', { className: 's' }), volumes: [volume('v', { className: 's', claimRef: 'x' })], want: undefined },
    { name: 'taken volumes are skipped', claim: claim('c', { className: 's' }), volumes: [volume('v1', { className: 's' }), volume('v2', { className: 's', size: '2Gi' })], taken: ['v1'], want: 'v2' },
  ])('$name', ({ claim: c, volumes, taken = [], want }) => {
    expect(findMatchingVolume(c, volumes, nodeA, new Set(taken))?.metadata.name).toBe(want);
  });
});

describe('VolumeBinding Reserve and PreBind writes', () => {
  it('promises a static volume to one pod only, until unreserved', () => {
    const a = access([claim('d1', { className: 'static' }), claim('d2', { className: 'static' })], [volume('pv1', { className: 'static' })], [wffcStatic]);
    const plugin = new VolumeBinding(a);
    const ni = cacheWith(nodes).nodeInfo('a') as NodeInfo;
    const first = podInfoFor(podWithClaims('d1'));
    const s1 = new CycleState();
    plugin.preFilter(s1, first);
    expect(plugin.filter(s1, first, ni).code).toBe(Code.Success);
    plugin.reserve(s1, first, 'a');
    const second = podInfoFor({ ...podWithClaims('d2'), metadata: { name: 'q', namespace: 'default' } });
    const s2 = new CycleState();
    plugin.preFilter(s2, second);
    expect(plugin.filter(s2, second, ni).code).toBe(Code.UnschedulableAndUnresolvable);
    plugin.unreserve(s1, first);
    expect(plugin.filter(s2, second, ni).code).toBe(Code.Success);
  });

  it('annotates claims to provision and pre-binds static volumes, then waits for the binder', async () => {
    const claims = [claim('dyn', { className: 'local-path' }), claim('st', { className: 'static' })];
    const volumes = [volume('pv1', { className: 'static' })];
    const a = access(claims, volumes, [wffc, wffcStatic]);
    const plugin = new VolumeBinding(a);
    const info = podInfoFor(podWithClaims('dyn', 'st'));
    const state = new CycleState();
    plugin.preFilter(state, info);
    expect(plugin.filter(state, info, cacheWith(nodes).nodeInfo('b') as NodeInfo).code).toBe(Code.Success);
    plugin.reserve(state, info, 'b');
    const abort = new AbortController();
    const done = plugin.preBind(state, info, 'b', abort.signal);
    // The binder's work, as the informers would show it.
    (claims[0] as PersistentVolumeClaim).spec = { ...claims[0]?.spec, volumeName: 'pvc-dyn' };
    volumes.push({ ...volume('pvc-dyn', { className: 'local-path', node: 'b' }), spec: { ...volume('pvc-dyn', { node: 'b' }).spec, claimRef: { namespace: 'default', name: 'dyn', uid: 'uid-dyn' } } });
    (claims[1] as PersistentVolumeClaim).spec = { ...claims[1]?.spec, volumeName: 'pv1' };
    (volumes[0] as PersistentVolume).spec = { ...volumes[0]?.spec, claimRef: { namespace: 'default', name: 'st', uid: 'uid-st' } };
    expect((await done).code).toBe(Code.Success);
    expect(a.writes.sort()).toEqual([`annotate dyn ${SELECTED_NODE_ANNOTATION}=b`, 'claimRef pv1 -> st']);
  });

  it.each<{ name: string; claims: PersistentVolumeClaim[]; volumes: PersistentVolume[]; seen?: boolean; want: 'bound' | 'wait' | string }>([
    { name: 'not bound yet', claims: [claim('dyn', { annotations: { [SELECTED_NODE_ANNOTATION]: 'b' } })], volumes: [], want: 'wait' },
    { name: 'annotation not in the cache yet', claims: [claim('dyn')], volumes: [], want: 'wait' },
    { name: 'bound on the node', claims: [claim('dyn', { volumeName: 'v' })], volumes: [volume('v', { node: 'b', claimRef: 'dyn' })], want: 'bound' },
    { name: 'bound elsewhere', claims: [claim('dyn', { volumeName: 'v' })], volumes: [volume('v', { node: 'a', claimRef: 'dyn' })], want: 'binding volumes: persistentvolume "v" bound to PVC "dyn" is not reachable from node b' },
    { name: 'provisioner gave up (annotation seen, then removed)', claims: [claim('dyn')], volumes: [], seen: true, want: 'binding volumes: provisioning failed for PVC "dyn"' },
    { name: 'claim deleted', claims: [], volumes: [], want: 'binding volumes: persistentvolumeclaim "dyn" not found' },
  ])('checkBindings: $name', ({ claims, volumes, seen, want }) => {
    const decision = { node: { name: 'b', labels: { [HOST]: 'b' } }, staticBindings: [], provision: [claim('dyn')] };
    const out = checkBindings({ access: access(claims, volumes), decision, signal: new AbortController().signal }, new Set(seen ? ['dyn'] : []));
    if (want === 'bound') expect(out).toBeUndefined();
    else if (want === 'wait') expect(out).toBe('wait');
    else expect(out !== 'wait' && out?.message()).toBe(want);
  });

  it('times out', async () => {
    const a = { ...access([claim('dyn', { className: 'local-path', annotations: { [SELECTED_NODE_ANNOTATION]: 'b' } })], [], [wffc]), bindTimeoutMs: 300 };
    const plugin = new VolumeBinding(a);
    const info = podInfoFor(podWithClaims('dyn'));
    const state = new CycleState();
    plugin.preFilter(state, info);
    expect(plugin.filter(state, info, cacheWith(nodes).nodeInfo('b') as NodeInfo).code).toBe(Code.Success);
    const s = await plugin.preBind(state, info, 'b', new AbortController().signal);
    expect(s.code).toBe(Code.Error);
    expect(s.message()).toBe('binding volumes: context deadline exceeded');
    expect(a.writes).toEqual([]);
  });
});

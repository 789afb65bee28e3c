// Pure parts of claim volumes: claim → bound volume, and which local-path directories the kubelet
// may remove.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim } from '@kite/api-types';
import { boundVolume, volumeDirectory } from '../src/volumes/claims.js';
import { cleanupPath, LOCAL_PATH_FINALIZER, unsafePathReason } from '../src/volumes/local-path-cleanup.js';

const claim = (volumeName?: string): PersistentVolumeClaim => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'ns', uid: 'u1' }, spec: { ...(volumeName ? { volumeName } : {}) } });
const pv = (spec: PersistentVolume['spec'], meta: Partial<PersistentVolume['metadata']> = {}): PersistentVolume => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1', ...meta }, spec });
const ref = (uid = 'u1') => ({ namespace: 'ns', name: 'data', uid });

describe('boundVolume', () => {
  it.each<{ name: string; claim?: PersistentVolumeClaim; pv?: PersistentVolume; want: RegExp | 'pv1' }>([
    { name: 'missing claim', want: /persistentvolumeclaim "data" not found/ },
    { name: 'claim without volumeName', claim: claim(), want: /waiting for PersistentVolumeClaim ns\/data to be bound/ },
    { name: 'volume missing', claim: claim('pv1'), want: /persistentvolume "pv1" of claim ns\/data not found/ },
    { name: 'volume without claimRef', claim: claim('pv1'), pv: pv({}), want: /waiting for .* is not bound to it \(claimRef empty\)/ },
    { name: 'claimRef of another uid', claim: claim('pv1'), pv: pv({ claimRef: ref('u2') }), want: /is not bound to it/ },
    { name: 'bound both ways', claim: claim('pv1'), pv: pv({ claimRef: ref() }), want: 'pv1' },
  ])('$name', async ({ claim: c, pv: v, want }) => {
    const src = { persistentVolumeClaim: () => Promise.resolve(c), persistentVolume: () => Promise.resolve(v) };
    const out = boundVolume(src, 'ns', 'data');
    if (want === 'pv1') expect((await out).metadata.name).toBe('pv1');
    else await expect(out).rejects.toThrow(want);
  });
});

describe('volumeDirectory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kite-pvc-units-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each<{ name: string; spec: (d: string) => PersistentVolume['spec']; want: RegExp | 'created' | 'ok' }>([
    { name: 'hostPath DirectoryOrCreate creates it', spec: (d) => ({ hostPath: { path: join(d, 'new'), type: 'DirectoryOrCreate' } }), want: 'created' },
    { name: 'hostPath Directory must exist', spec: (d) => ({ hostPath: { path: join(d, 'absent'), type: 'Directory' } }), want: /does not exist/ },
    { name: 'hostPath "" takes it as it is', spec: (d) => ({ hostPath: { path: d } }), want: 'ok' },
    { name: 'hostPath File is refused', spec: (d) => ({ hostPath: { path: d, type: 'File' } }), want: /type "File" is not supported/ },
    { name: 'local must exist', spec: (d) => ({ local: { path: join(d, 'absent') } }), want: /does not exist/ },
    { name: 'local existing', spec: (d) => ({ local: { path: d } }), want: 'ok' },
    { name: 'nfs needs a driver', spec: () => ({ nfs: { server: 's', path: '/x' } }), want: /only hostPath and local/ },
  ])('$name', async ({ spec, want }) => {
    const out = volumeDirectory(pv(spec(dir)));
    if (want instanceof RegExp) return expect(out).rejects.toThrow(want);
    const path = await out;
    expect((await stat(path)).isDirectory()).toBe(true);
  });
});

describe('local-path cleanup guards', () => {
  const affinity = (...nodes: string[]) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In' as const, values: nodes }] }] } });
  const deleted = { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [LOCAL_PATH_FINALIZER], annotations: { 'pv.kubernetes.io/provisioned-by': 'kite.dev/local-path' } };
  it.each<{ name: string; pv: PersistentVolume; want: string | undefined }>([
    { name: 'deleted local-path volume of this node', pv: pv({ hostPath: { path: '/r/pv1' }, nodeAffinity: affinity('n1') }, deleted), want: '/r/pv1' },
    { name: 'not deleted', pv: pv({ hostPath: { path: '/r/pv1' }, nodeAffinity: affinity('n1') }, { ...deleted, deletionTimestamp: undefined }), want: undefined },
    { name: 'no finalizer', pv: pv({ hostPath: { path: '/r/pv1' }, nodeAffinity: affinity('n1') }, { ...deleted, finalizers: [] }), want: undefined },
    { name: 'not provisioned by local-path', pv: pv({ hostPath: { path: '/r/pv1' }, nodeAffinity: affinity('n1') }, { ...deleted, annotations: {} }), want: undefined },
    { name: 'another node', pv: pv({ hostPath: { path: '/r/pv1' }, nodeAffinity: affinity('n2') }, deleted), want: undefined },
    { name: 'several nodes', pv: pv({ hostPath: { path: '/r/pv1' }, nodeAffinity: affinity('n1', 'n2') }, deleted), want: undefined },
  ])('cleanupPath: $name', ({ pv: v, want }) => {
    expect(cleanupPath(v, 'n1')).toBe(want);
  });

  it.each<{ path: string; want: string | undefined }>([
    { path: '/var/lib/kite/local-path/pv1', want: undefined },
    { path: 'relative/pv1', want: 'path is not absolute' },
    { path: '/var/lib/../lib/pv1', want: 'path is not normalised' },
    { path: '/var/lib/kite/local-path/pv1/', want: 'path is not normalised' },
    { path: '/var/lib/kite/local-path/other', want: 'path does not end in the PV name' },
    { path: '/', want: 'path is not normalised' },
    { path: '/pv1', want: 'path has no root directory above the PV directory' },
  ])('unsafePathReason($path)', ({ path, want }) => {
    expect(unsafePathReason(path, 'pv1')).toBe(want);
  });
});

// Table tests of the storage admission plugins: DefaultStorageClass (newest default wins, an
// explicit "" stays), StorageObjectInUseProtection (finalizers on create) and
// PersistentVolumeClaimResize (only Bound claims of expandable classes may grow).
import { describe, expect, it } from 'vitest';
import type { KubeObject, PersistentVolumeClaim, StorageClass } from '@kite/api-types';
import { isApiError } from '@kite/apimachinery';
import { DefaultStorageClass, pickDefaultClass } from '../../../src/admission/default-storage-class.js';
import { NOT_RESIZABLE_MESSAGE, ONLY_BOUND_MESSAGE, PersistentVolumeClaimResize } from '../../../src/admission/persistent-volume-claim-resize.js';
import { StorageObjectInUseProtection } from '../../../src/admission/storage-object-in-use-protection.js';
import { attrs, contextWith } from './helpers.js';

const DEFAULT = { 'storageclass.kubernetes.io/is-default-class': 'true' };

function sc(name: string, created: string, o: { isDefault?: boolean; expand?: boolean } = {}): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, creationTimestamp: created, ...(o.isDefault ? { annotations: DEFAULT } : {}) },
    provisioner: 'kite.dev/local-path',
    ...(o.expand !== undefined ? { allowVolumeExpansion: o.expand } : {}),
  };
}

function pvc(o: { className?: string; size?: string; phase?: 'Pending' | 'Bound' } = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'x', namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: o.size ?? '1Gi' } }, ...(o.className !== undefined ? { storageClassName: o.className } : {}) },
    status: { phase: o.phase ?? 'Bound' },
  };
}

describe('DefaultStorageClass', () => {
  it.each([
    { name: 'no default', classes: [sc('a', '2026-01-01T00:00:00Z')], want: undefined },
    { name: 'one default', classes: [sc('a', '2026-01-01T00:00:00Z'), sc('b', '2026-01-01T00:00:00Z', { isDefault: true })], want: 'b' },
    { name: 'newest of two defaults', classes: [sc('old', '2026-01-01T00:00:00Z', { isDefault: true }), sc('new', '2026-02-01T00:00:00Z', { isDefault: true })], want: 'new' },
    { name: 'same age: first by name', classes: [sc('z', '2026-01-01T00:00:00Z', { isDefault: true }), sc('m', '2026-01-01T00:00:00Z', { isDefault: true })], want: 'm' },
  ])('$name', ({ classes, want }) => expect(pickDefaultClass(classes)?.metadata.name).toBe(want));

  it.each([
    { name: 'sets the default on a classless claim', claim: pvc(), want: 'lp' },
    { name: 'keeps an explicit empty class', claim: pvc({ className: '' }), want: '' },
    { name: 'keeps a named class', claim: pvc({ className: 'fast' }), want: 'fast' },
  ])('$name', async ({ claim, want }) => {
    await new DefaultStorageClass(contextWith(sc('lp', '2026-01-01T00:00:00Z', { isDefault: true }))).admit(attrs('PersistentVolumeClaim'), claim);
    expect(claim.spec?.storageClassName).toBe(want);
  });
});

describe('StorageObjectInUseProtection', () => {
  it.each([
    { kind: 'PersistentVolumeClaim', want: 'kubernetes.io/pvc-protection' },
    { kind: 'PersistentVolume', want: 'kubernetes.io/pv-protection' },
  ])('adds $want on create of a $kind, once', ({ kind, want }) => {
    const plugin = new StorageObjectInUseProtection();
    const a = attrs(kind);
    const obj: KubeObject = { apiVersion: 'v1', kind, metadata: { name: 'x', finalizers: ['other'] } };
    expect(plugin.handles(a)).toBe(true);
    plugin.admit(a, obj);
    plugin.admit(a, obj);
    expect(obj.metadata.finalizers).toEqual(['other', want]);
    expect(plugin.handles(attrs(kind, { operation: 'UPDATE' }))).toBe(false);
  });
});

describe('PersistentVolumeClaimResize', () => {
  const ctx = contextWith(sc('grows', '2026-01-01T00:00:00Z', { expand: true }), sc('fixed', '2026-01-01T00:00:00Z', { expand: false }));
  it.each([
    { name: 'growing on an expandable class', old: pvc({ className: 'grows' }), next: pvc({ className: 'grows', size: '2Gi' }), want: undefined },
    { name: 'unchanged size', old: pvc({ className: 'fixed' }), next: pvc({ className: 'fixed' }), want: undefined },
    { name: 'class without expansion', old: pvc({ className: 'fixed' }), next: pvc({ className: 'fixed', size: '2Gi' }), want: NOT_RESIZABLE_MESSAGE },
    { name: 'missing class', old: pvc({ className: 'gone' }), next: pvc({ className: 'gone', size: '2Gi' }), want: NOT_RESIZABLE_MESSAGE },
    { name: 'no class', old: pvc({ className: '' }), next: pvc({ className: '', size: '2Gi' }), want: NOT_RESIZABLE_MESSAGE },
    { name: 'unbound claim', old: pvc({ className: 'grows', phase: 'Pending' }), next: pvc({ className: 'grows', size: '2Gi', phase: 'Pending' }), want: ONLY_BOUND_MESSAGE },
  ])('$name', async ({ old, next, want }) => {
    const err = await new PersistentVolumeClaimResize(ctx).validate(attrs('PersistentVolumeClaim', { operation: 'UPDATE' }), next, old).then(() => undefined, (e: unknown) => e);
    if (want === undefined) expect(err).toBeUndefined();
    else {
      expect(isApiError(err) && err.code).toBe(403);
      expect(String((err as Error).message)).toBe(`persistentvolumeclaims "x" is forbidden: ${want}`);
    }
  });
});

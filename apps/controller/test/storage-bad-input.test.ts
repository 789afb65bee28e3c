// Storage bad input and resizing: a real apiserver over TLS and redis-server, one hollow node, the
// PV controllers in-process. Claims for a missing class or an impossible size stay Pending with
// the Event saying why (read back with the real `kubectl describe pvc`); invalid claims, volumes
// and classes are 422 with Kubernetes' field causes; growing a claim is allowed only on a class
// with allowVolumeExpansion (403 otherwise) and then updates the PV and the claim's capacity; the
// DefaultStorageClass plugin gives classless claims the newest default class.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PersistentVolumeClaimResource, PersistentVolumeResource, StorageClassResource, type PersistentVolume, type PersistentVolumeClaim } from '@kite/api-types';
import { ApiError } from '@kite/apimachinery';
import { waitFor } from '@kite/testing';
import { createNamespace, startCluster, type TestCluster } from './helpers/cluster.js';
import { hasKubectl, kubectl } from './helpers/kubectl.js';
import { claim, claimEvent, claimPhase, staticPv, storageClass, STORAGE_TIMEOUT_MS, volumeWhere } from './helpers/storage.js';

const NS = 'storage-bad';
const CONTROLLERS = 'persistentvolume-binder,persistentvolume-expander,pvc-protection,pv-protection';
const SELECTED = { 'volume.kubernetes.io/selected-node': 'hollow-0' };
const root = mkdtempSync(join(tmpdir(), 'kite-local-path-'));
let c: TestCluster;

const pvcs = () => c.client.resource(PersistentVolumeClaimResource);
const pvs = () => c.client.resource(PersistentVolumeResource);

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

async function grow(name: string, size: string): Promise<PersistentVolumeClaim> {
  return pvcs().patch(name, { spec: { resources: { requests: { storage: size } } } }, { type: 'merge', namespace: NS });
}

beforeAll(async () => {
  c = await startCluster({ nodes: 1, controllers: CONTROLLERS, manager: { localPathRoot: root, localPathMaxSize: '100Gi' } });
  await createNamespace(c.client, NS);
  await waitFor(() => c.client.resource(StorageClassResource).get('local-path').catch(() => undefined), { timeoutMs: STORAGE_TIMEOUT_MS, message: 'local-path class' });
}, 60_000);
afterAll(async () => {
  await c?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('claims that cannot be satisfied stay Pending with an Event', () => {
  it('a missing class', async () => {
    await pvcs().create(claim(NS, 'no-such-class', { className: 'gold' }));
    const ev = await claimEvent(c.client, NS, 'no-such-class', 'ProvisioningFailed');
    expect(ev.type).toBe('Warning');
    expect(ev.message).toBe('storageclass.storage.k8s.io "gold" not found');
    expect((await pvcs().get('no-such-class', { namespace: NS })).status?.phase).toBe('Pending');
    if (hasKubectl) {
      const out = await kubectl(c.apiserver, ['describe', 'pvc', 'no-such-class', '-n', NS]);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/Status:\s+Pending/);
      expect(out.stdout).toMatch(/Warning\s+ProvisioningFailed\s+.*storageclass\.storage\.k8s\.io "gold" not found/);
    }
  });

  it('an impossible size', async () => {
    await pvcs().create(claim(NS, 'huge', { size: '2Pi', annotations: SELECTED }));
    const ev = await claimEvent(c.client, NS, 'huge', 'ProvisioningFailed');
    expect(ev.message).toBe('Failed to provision volume with StorageClass "local-path": requested storage 2Pi exceeds the maximum volume size 100Gi of kite.dev/local-path');
    const pvc = await pvcs().get('huge', { namespace: NS });
    expect(pvc.status?.phase).toBe('Pending');
    expect((await pvs().list()).items.some((pv) => pv.spec?.claimRef?.name === 'huge')).toBe(false);
    if (hasKubectl) {
      const out = await kubectl(c.apiserver, ['describe', 'pvc', 'huge', '-n', NS]);
      expect(out.stdout).toMatch(/Warning\s+ProvisioningFailed\s+.*exceeds the maximum volume size 100Gi/);
    }
  });

  it('a class of an external provisioner', async () => {
    await c.client.resource(StorageClassResource).create(storageClass('external', { provisioner: 'example.com/nfs', volumeBindingMode: 'Immediate' }));
    await pvcs().create(claim(NS, 'elsewhere', { className: 'external' }));
    const ev = await claimEvent(c.client, NS, 'elsewhere', 'ExternalProvisioning');
    expect(ev.message).toMatch(/^Waiting for a volume to be created either by the external provisioner 'example.com\/nfs' or manually by the system administrator/);
    const pvc = await pvcs().get('elsewhere', { namespace: NS });
    expect(pvc.status?.phase).toBe('Pending');
    expect(pvc.metadata.annotations?.['volume.kubernetes.io/storage-provisioner']).toBe('example.com/nfs');
  });

  it('no class and no volume', async () => {
    await pvcs().create(claim(NS, 'classless', { className: '' }));
    const ev = await claimEvent(c.client, NS, 'classless', 'FailedBinding');
    expect(ev.message).toBe('no persistent volumes available for this claim and no storage class is set');
    expect((await pvcs().get('classless', { namespace: NS })).status?.phase).toBe('Pending');
  });
});

describe('validation', () => {
  const noModes = (): PersistentVolumeClaim => {
    const pvc = claim(NS, 'bad-modes');
    delete pvc.spec?.accessModes;
    return pvc;
  };
  const noStorage = (): PersistentVolumeClaim => {
    const pvc = claim(NS, 'bad-size');
    if (pvc.spec) pvc.spec.resources = {};
    return pvc;
  };
  const twoSources = (): PersistentVolume => {
    const pv = staticPv('two-sources');
    if (pv.spec) pv.spec.local = { path: '/x' };
    return pv;
  };
  it.each<{ name: string; create: () => Promise<unknown>; field: string; message: RegExp }>([
    { name: 'claim without access modes', create: () => pvcs().create(noModes()), field: 'spec.accessModes', message: /at least 1 access mode is required/ },
    { name: 'claim without a storage request', create: () => pvcs().create(noStorage()), field: 'spec.resources[storage]', message: /Required value/ },
    { name: 'claim for zero storage', create: () => pvcs().create(claim(NS, 'zero', { size: '0' })), field: 'spec.resources[storage]', message: /must be greater than zero/ },
    { name: 'volume with two sources', create: () => pvs().create(twoSources()), field: 'spec.local', message: /may not specify more than 1 volume type/ },
    { name: 'class with a bad binding mode', create: () => c.client.resource(StorageClassResource).create(storageClass('bad-mode', { volumeBindingMode: 'Later' as never })), field: 'volumeBindingMode', message: /Unsupported value/ },
  ])('$name is 422', async ({ create, field, message }) => {
    const err = await refusal(create());
    expect(err.code).toBe(422);
    expect(err.status.reason).toBe('Invalid');
    const cause = err.status.details?.causes?.find((x) => x.field === field);
    expect(cause?.message).toMatch(message);
  });

  it('a claim spec is immutable except its storage request', async () => {
    await pvcs().create(claim(NS, 'fixed', { className: '' }));
    const err = await refusal(pvcs().patch('fixed', { spec: { accessModes: ['ReadWriteMany'] } }, { type: 'merge', namespace: NS }));
    expect(err.code).toBe(422);
    expect(err.message).toMatch(/spec is immutable after creation except resources.requests/);
  });

  it('a class provisioner is immutable', async () => {
    await c.client.resource(StorageClassResource).create(storageClass('fixed-class'));
    const err = await refusal(c.client.resource(StorageClassResource).patch('fixed-class', { provisioner: 'example.com/other' }, { type: 'merge' }));
    expect(err.code).toBe(422);
    expect(err.message).toMatch(/provisioner: Forbidden: updates to provisioner are forbidden/);
  });
});

describe('resize', () => {
  it('grows a bound claim of an expandable class: PV and claim capacity follow', async () => {
    await c.client.resource(StorageClassResource).create(storageClass('expandable', { allowVolumeExpansion: true }));
    await pvcs().create(claim(NS, 'growing', { className: 'expandable', size: '1Gi', annotations: SELECTED }));
    const bound = await claimPhase(c.client, NS, 'growing', 'Bound');
    await grow('growing', '5Gi');
    await volumeWhere(c.client, bound.spec?.volumeName ?? '', (pv) => pv.spec?.capacity?.storage === '5Gi', 'grown to 5Gi');
    const grown = await waitFor(async () => {
      const pvc = await pvcs().get('growing', { namespace: NS });
      return pvc.status?.capacity?.storage === '5Gi' ? pvc : undefined;
    }, { timeoutMs: STORAGE_TIMEOUT_MS, message: 'claim capacity 5Gi' });
    expect(grown.status?.conditions ?? []).toEqual([]);
    expect((await claimEvent(c.client, NS, 'growing', 'VolumeResizeSuccessful')).type).toBe('Normal');
  });

  it('refuses to grow a claim whose class does not allow it (403), or an unbound claim', async () => {
    await pvs().create(staticPv('fixed-size', { size: '2Gi' }));
    await pvcs().create(claim(NS, 'static', { className: 'manual', size: '2Gi' }));
    await claimPhase(c.client, NS, 'static', 'Bound');
    const err = await refusal(grow('static', '3Gi'));
    expect(err.code).toBe(403);
    expect(err.message).toBe('persistentvolumeclaims "static" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
    await pvcs().create(claim(NS, 'unbound', { className: '' }));
    const unbound = await refusal(grow('unbound', '3Gi'));
    expect(unbound.code).toBe(403);
    expect(unbound.message).toMatch(/Only bound persistent volume claims can be expanded/);
  });

  it('refuses to shrink a claim (422)', async () => {
    const err = await refusal(grow('growing', '1Gi'));
    expect(err.code).toBe(422);
    expect(err.message).toMatch(/field can not be less than previous value/);
  });
});

describe('DefaultStorageClass', () => {
  it('gives a classless claim the newest default class', async () => {
    // Creation timestamps have one-second resolution: create this class in a later second than
    // local-path's, so that it is strictly the newer default.
    const lp = await c.client.resource(StorageClassResource).get('local-path');
    await waitFor(() => Date.now() >= Date.parse(lp.metadata.creationTimestamp ?? '') + 1000, { timeoutMs: 5_000, intervalMs: 50 });
    const newer = storageClass('newer-default', { metadata: { name: 'newer-default', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } });
    if (hasKubectl) {
      // As users write it: kubectl apply validates against the served OpenAPI.
      const file = join(root, 'newer-default.json');
      writeFileSync(file, JSON.stringify(newer));
      const applied = await kubectl(c.apiserver, ['apply', '-f', file]);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toMatch(/storageclass.storage.k8s.io\/newer-default created/);
    } else await c.client.resource(StorageClassResource).create(newer);
    const pvc = await pvcs().create(claim(NS, 'defaulted'));
    expect(pvc.spec?.storageClassName).toBe('newer-default');
    const explicit = await pvcs().create(claim(NS, 'explicit-none', { className: '' }));
    expect(explicit.spec?.storageClassName).toBe('');
    if (hasKubectl) expect((await kubectl(c.apiserver, ['get', 'sc', '--no-headers'])).stdout).toMatch(/newer-default \(default\)/);
  });
});

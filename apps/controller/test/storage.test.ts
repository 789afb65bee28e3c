// Storage acceptance: a real apiserver over TLS (with the storage admission plugins) and
// redis-server, two hollow nodes, and the controller manager in-process running the PV binder,
// expander and protection controllers. Covers static binding by class, size, access modes,
// selector and volume mode (smallest fit), Retain vs Delete, WaitForFirstConsumer provisioning by
// local-path once the scheduler's selected-node annotation is set, the protection finalizers, and
// `kubectl get pv,pvc,sc`. No kubelet runs, so a deleted local-path PV stays Terminating on the
// kite.dev/local-path-cleanup finalizer the node's kubelet would remove.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PersistentVolumeClaimResource, PersistentVolumeResource, PodResource, StorageClassResource, type Pod } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { createNamespace, startCluster, type TestCluster } from './helpers/cluster.js';
import { hasKubectl, kubectl } from './helpers/kubectl.js';
import { claim, claimEvent, claimPhase, gone, staticPv, STORAGE_TIMEOUT_MS, volumeWhere } from './helpers/storage.js';

const NS = 'storage';
const CONTROLLERS = 'persistentvolume-binder,persistentvolume-expander,pvc-protection,pv-protection';
const root = mkdtempSync(join(tmpdir(), 'kite-local-path-'));
let c: TestCluster;

const pvcs = () => c.client.resource(PersistentVolumeClaimResource);
const pvs = () => c.client.resource(PersistentVolumeResource);

beforeAll(async () => {
  c = await startCluster({ nodes: 2, controllers: CONTROLLERS, manager: { localPathRoot: root } });
  await createNamespace(c.client, NS);
}, 60_000);
afterAll(async () => {
  await c?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('storage', () => {
  it('creates the default local-path StorageClass at start', async () => {
    const sc = await waitFor(() => c.client.resource(StorageClassResource).get('local-path').catch(() => undefined), { timeoutMs: STORAGE_TIMEOUT_MS, message: 'local-path class' });
    expect(sc.provisioner).toBe('kite.dev/local-path');
    expect(sc.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(sc.reclaimPolicy).toBe('Delete');
    expect(sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class']).toBe('true');
  });

  it('binds static volumes by class, size (smallest fit), access modes, selector and volume mode', async () => {
    for (const pv of [
      staticPv('s-1g', { size: '1Gi' }),
      staticPv('s-5g', { size: '5Gi' }),
      staticPv('s-10g', { size: '10Gi' }),
      staticPv('s-rwx', { size: '20Gi', modes: ['ReadWriteMany'] }),
      staticPv('s-gold', { size: '30Gi', labels: { tier: 'gold' } }),
      staticPv('s-block', { size: '40Gi', volumeMode: 'Block' }),
      staticPv('s-other', { size: '2Gi', className: 'other' }),
    ]) {
      await pvs().create(pv);
    }
    const want: Array<[string, Parameters<typeof claim>[2], string]> = [
      ['two-gig', { size: '2Gi', className: 'manual' }, 's-5g'],
      ['shared', { size: '1Gi', className: 'manual', modes: ['ReadWriteMany'] }, 's-rwx'],
      ['golden', { size: '1Gi', className: 'manual', selector: { tier: 'gold' } }, 's-gold'],
      ['raw', { size: '1Gi', className: 'manual', volumeMode: 'Block' }, 's-block'],
      ['other', { size: '1Gi', className: 'other' }, 's-other'],
    ];
    for (const [name, o] of want) await pvcs().create(claim(NS, name, o));
    for (const [name, , volume] of want) {
      const bound = await claimPhase(c.client, NS, name, 'Bound');
      expect(bound.spec?.volumeName).toBe(volume);
      expect(bound.metadata.annotations).toMatchObject({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
      expect(bound.metadata.finalizers).toContain('kubernetes.io/pvc-protection');
      const pv = await volumeWhere(c.client, volume, (v) => v.status?.phase === 'Bound', 'Bound');
      expect(pv.spec?.claimRef).toMatchObject({ namespace: NS, name, uid: bound.metadata.uid });
      expect(pv.metadata.finalizers).toContain('kubernetes.io/pv-protection');
      expect(bound.status?.capacity).toEqual(pv.spec?.capacity);
      expect(bound.status?.accessModes).toEqual(pv.spec?.accessModes);
    }
    expect((await pvs().get('s-1g')).status?.phase).toBe('Available');
    expect((await pvs().get('s-10g')).status?.phase).toBe('Available');
  });

  it('honours a claim pre-bound with volumeName and a volume pre-bound with claimRef', async () => {
    await pvs().create(staticPv('pre-vol', { size: '3Gi' }));
    await pvcs().create(claim(NS, 'by-name', { className: 'manual', volumeName: 'pre-vol' }));
    expect((await claimPhase(c.client, NS, 'by-name', 'Bound')).spec?.volumeName).toBe('pre-vol');
    await pvs().create(staticPv('pre-ref', { size: '50Gi', claimRef: { namespace: NS, name: 'by-ref' } }));
    await pvcs().create(claim(NS, 'by-ref', { className: 'manual' }));
    expect((await claimPhase(c.client, NS, 'by-ref', 'Bound')).spec?.volumeName).toBe('pre-ref');
  });

  it('keeps a Retain volume Released and deletes a Delete volume when its claim goes', async () => {
    await pvs().create(staticPv('keep', { size: '7Gi', className: 'reclaim-retain' }));
    await pvs().create(staticPv('drop', { size: '7Gi', className: 'reclaim-delete', reclaim: 'Delete' }));
    await pvcs().create(claim(NS, 'keeper', { className: 'reclaim-retain' }));
    await pvcs().create(claim(NS, 'dropper', { className: 'reclaim-delete' }));
    await claimPhase(c.client, NS, 'keeper', 'Bound');
    await claimPhase(c.client, NS, 'dropper', 'Bound');
    await pvcs().delete('keeper', { namespace: NS });
    await pvcs().delete('dropper', { namespace: NS });
    const kept = await volumeWhere(c.client, 'keep', (v) => v.status?.phase === 'Released', 'Released');
    expect(kept.spec?.claimRef?.name).toBe('keeper');
    await gone(() => pvs().get('drop'), 'volume drop');
    expect((await pvs().get('keep')).status?.phase).toBe('Released');
  });

  it('waits for the first consumer, then provisions a local-path volume on the selected node', async () => {
    const created = await pvcs().create(claim(NS, 'lazy', { size: '3Gi' }));
    expect(created.spec?.storageClassName).toBe('local-path');
    const waiting = await claimEvent(c.client, NS, 'lazy', 'WaitForFirstConsumer');
    expect(waiting.message).toBe('waiting for first consumer to be created before binding');
    expect((await pvcs().get('lazy', { namespace: NS })).status?.phase).toBe('Pending');
    await pvcs().patch('lazy', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'hollow-1' } } }, { type: 'merge', namespace: NS });
    const bound = await claimPhase(c.client, NS, 'lazy', 'Bound');
    const name = `pvc-${created.metadata.uid ?? ''}`;
    expect(bound.spec?.volumeName).toBe(name);
    expect(bound.status?.capacity).toEqual({ storage: '3Gi' });
    expect(bound.metadata.annotations?.['volume.kubernetes.io/storage-provisioner']).toBe('kite.dev/local-path');
    const pv = await pvs().get(name);
    expect(pv.spec?.hostPath).toEqual({ path: join(root, name), type: 'DirectoryOrCreate' });
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['hollow-1'] }] }]);
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by']).toBe('kite.dev/local-path');
    expect(pv.metadata.finalizers).toEqual(expect.arrayContaining(['kite.dev/local-path-cleanup', 'kubernetes.io/pv-protection']));
    expect((await claimEvent(c.client, NS, 'lazy', 'ProvisioningSucceeded')).message).toBe(`Successfully provisioned volume ${name} using kite.dev/local-path`);

    await pvcs().delete('lazy', { namespace: NS });
    // Delete reclaim: the PV object is deleted; only the node's cleanup finalizer holds it now.
    const deleting = await volumeWhere(c.client, name, (v) => !!v.metadata.deletionTimestamp && !(v.metadata.finalizers ?? []).includes('kubernetes.io/pv-protection'), 'deleted');
    expect(deleting.metadata.finalizers).toEqual(['kite.dev/local-path-cleanup']);
    expect(deleting.status?.phase).toBe('Released');
  });

  it('keeps a claim a pod uses alive (Terminating) until the pod is gone', async () => {
    await pvs().create(staticPv('used', { size: '8Gi', className: 'protected' }));
    await pvcs().create(claim(NS, 'in-use', { className: 'protected' }));
    await claimPhase(c.client, NS, 'in-use', 'Bound');
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'user', namespace: NS },
      spec: { containers: [{ name: 'app', image: 'hello.wasm' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'in-use' } }] },
    };
    await c.client.resource(PodResource).create(pod);
    await waitFor(async () => (await c.client.resource(PodResource).get('user', { namespace: NS })).status?.phase === 'Running', { timeoutMs: STORAGE_TIMEOUT_MS, message: 'pod Running' });
    await pvcs().delete('in-use', { namespace: NS });
    const terminating = await waitFor(async () => {
      const pvc = await pvcs().get('in-use', { namespace: NS });
      return pvc.metadata.deletionTimestamp ? pvc : undefined;
    });
    expect(terminating.metadata.finalizers).toContain('kubernetes.io/pvc-protection');
    if (hasKubectl) expect((await kubectl(c.apiserver, ['get', 'pvc', 'in-use', '-n', NS, '--no-headers'])).stdout).toMatch(/^in-use\s+Terminating\s+used\s+8Gi\s+RWO\s+protected/);
    // The volume stays Bound (and protected) while the claim lives.
    expect((await pvs().get('used')).status?.phase).toBe('Bound');
    await c.client.resource(PodResource).delete('user', { namespace: NS });
    await gone(() => pvcs().get('in-use', { namespace: NS }), 'claim in-use');
    await volumeWhere(c.client, 'used', (v) => v.status?.phase === 'Released', 'Released');
  });

  it.skipIf(!hasKubectl)('prints pv, pvc and sc columns as kubectl does for Kubernetes', async () => {
    const out = await kubectl(c.apiserver, ['get', 'pv,pvc,sc', '-n', NS]);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.split('\n');
    const header = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.split(/\s{2,}/);
    expect(header('NAME') && lines.filter((l) => l.startsWith('NAME')).map((l) => l.split(/\s{2,}/))).toEqual([
      ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
      ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
      ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'],
    ]);
    expect(out.stdout).toMatch(/persistentvolume\/s-5g\s+5Gi\s+RWO\s+Retain\s+Bound\s+storage\/two-gig\s+manual\s+<unset>\s+\S+/);
    expect(out.stdout).toMatch(/persistentvolumeclaim\/two-gig\s+Bound\s+s-5g\s+5Gi\s+RWO\s+manual\s+<unset>\s+\S+/);
    expect(out.stdout).toMatch(/storageclass\.storage\.k8s\.io\/local-path \(default\)\s+kite\.dev\/local-path\s+Delete\s+WaitForFirstConsumer\s+true\s+\S+/);
  });
});

// Dynamic provisioning end to end, every part real: a TLS apiserver, two kubelets (subnets 133
// and 134), the scheduler in-process and the controller manager as a process (PV binder with the
// local-path provisioner, protection controllers). A claim of the default `local-path` class
// (WaitForFirstConsumer) and a pod using it: the scheduler picks a node and writes selected-node,
// the provisioner makes a PV there, the binder binds, the pod runs on that node and writes into
// <local-path-root>/<pv>; deleting pod and claim deletes the PV and the kubelet removes the
// directory.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageClassResource, type Pod } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import { waitFor } from '@kite/testing';
import { claimsOf, createWriterConfig, podsOf, startVolumeCluster, volumesOf, waitPod, writerPod, type VolumeCluster } from './helpers/volume-cluster.js';

let c: VolumeCluster;
beforeAll(async () => {
  c = await startVolumeCluster({ subnets: [133, 134], controllers: 'persistentvolume-binder,pvc-protection,pv-protection' });
  await createWriterConfig(c);
}, 120_000);
afterAll(async () => c?.stop());

const ns = { namespace: 'default' };
const finished = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const gone = (get: () => Promise<unknown>) => get().then(() => undefined, (e: unknown) => (isNotFound(e) ? true : undefined));

describe('local-path dynamic provisioning', () => {
  it('provisions on the node the scheduler picked, and cleans the directory up after the claim is deleted', async () => {
    // The provisioner creates the default class at start; claims created after it get the class.
    await waitFor(() => c.client.resource(StorageClassResource).get('local-path').catch(() => undefined), { timeoutMs: 30_000, message: 'StorageClass local-path' });
    await claimsOf(c).create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'dyn', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } } });
    expect((await claimsOf(c).get('dyn', ns)).spec?.storageClassName).toBe('local-path');
    await podsOf(c).create(writerPod('dyn-writer', 'dyn'));

    const p = await waitPod(c, 'dyn-writer', finished, 'finished', 60_000);
    expect(p.status?.phase).toBe('Succeeded');
    const claim = await claimsOf(c).get('dyn', ns);
    const node = p.spec?.nodeName ?? '';
    expect(c.nodes).toContain(node);
    expect(claim.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe(node);
    const pvName = claim.spec?.volumeName ?? '';
    expect(pvName).not.toBe('');
    const pv = await volumesOf(c).get(pvName);
    expect(pv.spec?.claimRef?.uid).toBe(claim.metadata.uid);
    expect(pv.spec?.hostPath?.path).toBe(join(c.localPathRoot, pvName));
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values).toEqual([node]);
    const dir = join(c.localPathRoot, pvName);
    expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('written by batch\n');

    await podsOf(c).delete('dyn-writer', ns);
    await waitFor(() => gone(() => podsOf(c).get('dyn-writer', ns)), { timeoutMs: 30_000, message: 'pod deleted' });
    await claimsOf(c).delete('dyn', ns);
    await waitFor(() => gone(() => claimsOf(c).get('dyn', ns)), { timeoutMs: 30_000, message: 'claim deleted' });
    await waitFor(() => gone(() => volumesOf(c).get(pvName)), { timeoutMs: 30_000, message: 'volume deleted' });
    expect(existsSync(dir)).toBe(false);
  });
});

// VolumeBinding against real parts: a TLS apiserver, two real kubelets (subnets 131 and 132) and
// the scheduler with its own identity and RBAC. Static volumes are pre-bound by the test (PV
// claimRef + PVC volumeName), so no binder runs: a volume reachable from node B only puts the pod
// on node B; a pod whose claim is missing stays Pending with the scheduler's message and is placed
// once the claim appears; a WaitForFirstConsumer claim with an Available static volume gets the
// volume pre-bound by the scheduler.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageClassResource, type Pod } from '@kite/api-types';
import { waitFor } from '@kite/testing';
import { claim, claimsOf, createWriterConfig, hostPathVolume, podsOf, startVolumeCluster, volumesOf, waitPod, writerPod, type VolumeCluster } from './helpers/volume-cluster.js';

const CLASS = 'manual';
let c: VolumeCluster;
beforeAll(async () => {
  c = await startVolumeCluster({ subnets: [131, 132] });
  await createWriterConfig(c);
}, 120_000);
afterAll(async () => c?.stop());

const finished = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const scheduledCondition = (p: Pod) => p.status?.conditions?.find((x) => x.type === 'PodScheduled');

describe('bound claims', () => {
  it('a volume with node affinity to node B puts the pod on node B, which writes into it', async () => {
    const nodeB = c.nodes[1] ?? '';
    const dir = join(c.rootDir, 'static', 'pv-b');
    const pvc = await claimsOf(c).create(claim('on-b', CLASS, 'pv-b'));
    await volumesOf(c).create(hostPathVolume('pv-b', dir, { storageClassName: CLASS, node: nodeB, claim: pvc }));
    // Several pods in a row: each must land on B (two nodes, so chance alone would fail).
    for (const name of ['w1', 'w2', 'w3']) await podsOf(c).create(writerPod(name, 'on-b', `${name}.txt`));
    for (const name of ['w1', 'w2', 'w3']) {
      const p = await waitPod(c, name, finished, 'finished');
      expect(p.spec?.nodeName).toBe(nodeB);
      expect(p.status?.phase).toBe('Succeeded');
      expect(await readFile(join(dir, `${name}.txt`), 'utf8')).toBe('written by batch\n');
    }
  });

  it('a pod whose claim is missing stays Pending with the scheduler\'s message, and runs once the claim exists', async () => {
    await podsOf(c).create(writerPod('no-claim', 'missing'));
    const p = await waitPod(c, 'no-claim', (x) => scheduledCondition(x)?.status === 'False', 'PodScheduled=False', 20_000);
    expect(p.status?.phase).toBe('Pending');
    expect(p.spec?.nodeName ?? '').toBe('');
    expect(scheduledCondition(p)).toMatchObject({ reason: 'Unschedulable', message: '0/2 nodes are available: persistentvolumeclaim "missing" not found.' });
    const pvc = await claimsOf(c).create(claim('missing', CLASS, 'pv-missing'));
    await volumesOf(c).create(hostPathVolume('pv-missing', join(c.rootDir, 'static', 'pv-missing'), { storageClassName: CLASS, claim: pvc }));
    const done = await waitPod(c, 'no-claim', finished, 'finished after the claim appeared');
    expect(done.status?.phase).toBe('Succeeded');
  });
});

describe('WaitForFirstConsumer with a static volume', () => {
  it('the scheduler pre-binds the Available volume reachable from the node it picks', async () => {
    await c.client.resource(StorageClassResource).create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'static-wffc' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' });
    const nodeA = c.nodes[0] ?? '';
    const dir = join(c.rootDir, 'static', 'pv-wffc');
    await mkdir(dir, { recursive: true });
    const pv = await volumesOf(c).create(hostPathVolume('pv-wffc', dir, { storageClassName: 'static-wffc', node: nodeA }));
    // No binder runs here: mark the volume Available as the binder would.
    await volumesOf(c).updateStatus({ ...pv, status: { phase: 'Available' } });
    const pvc = await claimsOf(c).create(claim('wffc', 'static-wffc'));
    await podsOf(c).create(writerPod('wffc-writer', 'wffc'));
    // The scheduler's half: claimRef on the volume. Then the binder's half, done here by hand.
    const bound = await waitFor(async () => ((await volumesOf(c).get('pv-wffc')).spec?.claimRef?.uid === pvc.metadata.uid ? true : undefined), { timeoutMs: 20_000, message: 'claimRef set by the scheduler' });
    expect(bound).toBe(true);
    expect((await podsOf(c).get('wffc-writer', { namespace: 'default' })).spec?.nodeName ?? '').toBe('');
    await claimsOf(c).patch('wffc', { spec: { volumeName: 'pv-wffc' } }, { type: 'merge', namespace: 'default' });
    const p = await waitPod(c, 'wffc-writer', finished, 'finished');
    expect(p.spec?.nodeName).toBe(nodeA);
    expect(p.status?.phase).toBe('Succeeded');
    expect(existsSync(join(dir, 'out.txt'))).toBe(true);
  });
});

// PersistentVolumeClaim volumes on a real kubelet (Wasm and Docker runtimes) against a real TLS
// apiserver with the Node authorizer: pre-bound static volumes (PV claimRef + PVC volumeName, no
// binder running) are mounted as preopens and bind mounts, outlive their pods, honour readOnly and
// subPath; an unbound claim keeps the pod waiting with FailedMount until it is bound; a deleted
// local-path volume of this node has its directory and finalizer removed by the kubelet.
// Subnet 130.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMapResource, EventResource, PersistentVolumeClaimResource, PersistentVolumeResource, type PersistentVolume, type PersistentVolumeClaim, type Pod } from '@kite/api-types';
import { isNotFound } from '@kite/apimachinery';
import { waitFor } from '@kite/testing';
import { batchPod as batchPodOf, pods, waitForPod } from './helpers.js';
import { dockerPod, startDockerCluster, type DockerCluster } from './docker/support.js';

const SUBNET = 130;
const CLASS = 'manual';
const ns = { namespace: 'default' };

let c: DockerCluster;
beforeAll(async () => {
  c = await startDockerCluster(SUBNET, 'wasm,docker');
  await c.client.resource(ConfigMapResource).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { 'config.txt': 'mode=test\n' } });
}, 120_000);
afterAll(async () => c?.stop());

const claims = () => c.client.resource(PersistentVolumeClaimResource);
const volumes = () => c.client.resource(PersistentVolumeResource);

async function createClaim(name: string, volumeName?: string): Promise<PersistentVolumeClaim> {
  return claims().create({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: CLASS, resources: { requests: { storage: '1Gi' } }, ...(volumeName ? { volumeName } : {}) },
  });
}

/** A static hostPath volume pre-bound to `claim`. */
async function createVolume(name: string, claim: PersistentVolumeClaim, path: string): Promise<PersistentVolume> {
  return volumes().create({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: CLASS,
      hostPath: { path, type: 'DirectoryOrCreate' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'default', name: claim.metadata.name ?? '', uid: claim.metadata.uid ?? '' },
    },
  });
}

/** The Wasm batch command with the claim at /data and a ConfigMap at /config. */
function batchPod(name: string, claimName: string, args: string[], readOnly = false): Pod {
  return batchPodOf(c, name, args, 'cfg', { mounts: [{ name: 'data', mountPath: '/data' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName, readOnly } }] });
}

const finished = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

async function deletePod(name: string): Promise<void> {
  await pods(c).delete(name, ns);
  await waitFor(async () => pods(c).get(name, ns).then(() => undefined, (e: unknown) => (isNotFound(e) ? true : undefined)), { timeoutMs: 30_000, message: `${name} deleted` });
}

describe('static PersistentVolumes bound to claims', () => {
  let hostDir: string;
  beforeAll(async () => {
    hostDir = join(c.rootDir, 'static', 'pv-data');
    const claim = await createClaim('data', 'pv-data');
    await createVolume('pv-data', claim, hostDir);
  });

  it('a Wasm pod writes into its claim; a new pod on the same claim reads it back', async () => {
    await pods(c).create(batchPod('writer', 'data', ['--config', '/config/config.txt', '--write', '/data/out.txt']));
    const w = await waitForPod(c, 'writer', finished, 30_000, 'finished');
    expect(w.status?.phase).toBe('Succeeded');
    expect(await readFile(join(hostDir, 'out.txt'), 'utf8')).toBe('written by batch\n');
    await deletePod('writer');
    expect(existsSync(join(hostDir, 'out.txt'))).toBe(true);
    await pods(c).create(batchPod('reader', 'data', ['--config', '/data/out.txt']));
    const r = await waitForPod(c, 'reader', finished, 30_000, 'finished');
    expect(r.status?.phase).toBe('Succeeded');
    expect(await c.client.podLogs('default', 'reader')).toContain('config: written by batch');
  });

  it('a readOnly claim refuses writes inside the pod', async () => {
    await pods(c).create(batchPod('ro-writer', 'data', ['--config', '/config/config.txt', '--write', '/data/ro.txt'], true));
    const p = await waitForPod(c, 'ro-writer', finished, 30_000, 'finished');
    expect(p.status?.phase).toBe('Failed');
    expect(p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(3);
    expect(existsSync(join(hostDir, 'ro.txt'))).toBe(false);
  });

  it('a Docker pod sees the same directory through a bind mount, subPath included', async () => {
    const script = 'cat /data/out.txt && echo from-docker > /data/docker.txt && echo nested > /nested/n.txt';
    const pod = dockerPod(c, 'docker-reader', [{ name: 'sh', command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'data', mountPath: '/nested', subPath: 'sub/dir' }] }], {
      restartPolicy: 'Never',
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
    });
    await pods(c).create(pod);
    const p = await waitForPod(c, 'docker-reader', finished, 60_000, 'finished');
    expect(p.status?.phase).toBe('Succeeded');
    expect(await c.client.podLogs('default', 'docker-reader')).toContain('written by batch');
    expect(await readFile(join(hostDir, 'docker.txt'), 'utf8')).toBe('from-docker\n');
    expect(await readFile(join(hostDir, 'sub', 'dir', 'n.txt'), 'utf8')).toBe('nested\n');
  });
});

describe('a claim that is not bound yet', () => {
  it('keeps the pod waiting with a FailedMount event, and the pod starts once the claim is bound', async () => {
    const claim = await createClaim('later');
    await pods(c).create(batchPod('waiter', 'later', ['--config', '/config/config.txt', '--write', '/data/w.txt']));
    const ev = await waitFor(
      async () => {
        const list = await c.client.resource(EventResource).list({ namespace: 'default', fieldSelector: 'involvedObject.name=waiter' });
        return list.items.find((e) => e.reason === 'FailedMount');
      },
      { timeoutMs: 20_000, message: 'FailedMount event' },
    );
    expect(ev.type).toBe('Warning');
    expect(ev.message).toContain('waiting for PersistentVolumeClaim default/later to be bound');
    const waiting = await pods(c).get('waiter', ns);
    expect(waiting.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? 'ContainerCreating').toBe('ContainerCreating');
    // Bind it by hand, as the binder would: claimRef on the volume, volumeName on the claim.
    const dir = join(c.rootDir, 'static', 'pv-later');
    await createVolume('pv-later', claim, dir);
    await claims().patch('later', { spec: { volumeName: 'pv-later' } }, { type: 'merge', namespace: 'default' });
    const p = await waitForPod(c, 'waiter', finished, 30_000, 'finished');
    expect(p.status?.phase).toBe('Succeeded');
    expect(existsSync(join(dir, 'w.txt'))).toBe(true);
  });
});

describe('local-path cleanup', () => {
  const affinity = (node: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In' as const, values: [node] }] }] } });

  async function localPathVolume(name: string, path: string, node: string): Promise<void> {
    await mkdir(path, { recursive: true });
    await writeFile(join(path, 'data.txt'), 'x');
    await volumes().create({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name, finalizers: ['kite.dev/local-path-cleanup'], annotations: { 'pv.kubernetes.io/provisioned-by': 'kite.dev/local-path' } },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', persistentVolumeReclaimPolicy: 'Delete', hostPath: { path, type: 'DirectoryOrCreate' }, nodeAffinity: affinity(node) },
    });
  }

  /** Our finalizer is off (the object may still wait for pv-protection, which no controller runs here). */
  const cleaned = (name: string) =>
    volumes().get(name).then(
      (pv) => (pv.metadata.finalizers ?? []).includes('kite.dev/local-path-cleanup') ? undefined : true,
      (e: unknown) => (isNotFound(e) ? true : undefined),
    );
  const release = (name: string) => volumes().patch(name, { metadata: { finalizers: null } }, { type: 'merge' }).catch(() => undefined);

  it('removes the directory of a deleted volume of this node, then the finalizer', async () => {
    const root = join(c.rootDir, 'local-path');
    await localPathVolume('pvc-mine', join(root, 'pvc-mine'), c.nodeName);
    await volumes().delete('pvc-mine');
    await waitFor(() => cleaned('pvc-mine'), { timeoutMs: 20_000, message: 'PV pvc-mine cleaned up' });
    await release('pvc-mine');
    expect(existsSync(join(root, 'pvc-mine'))).toBe(false);
    expect(existsSync(root)).toBe(true);
  });

  it('leaves other nodes\' volumes and paths that do not end in the volume name alone', async () => {
    const root = join(c.rootDir, 'local-path');
    await localPathVolume('pvc-other-node', join(root, 'pvc-other-node'), 'node-elsewhere');
    await localPathVolume('pvc-odd-path', join(root, 'not-the-name'), c.nodeName);
    await volumes().delete('pvc-other-node');
    await volumes().delete('pvc-odd-path');
    // A volume the kubelet does clean, deleted after these two, tells when it has looked at them.
    await localPathVolume('pvc-marker', join(root, 'pvc-marker'), c.nodeName);
    await volumes().delete('pvc-marker');
    await waitFor(() => cleaned('pvc-marker'), { timeoutMs: 20_000, message: 'PV pvc-marker cleaned up' });
    await release('pvc-marker');
    expect(existsSync(join(root, 'pvc-other-node', 'data.txt'))).toBe(true);
    expect(existsSync(join(root, 'not-the-name', 'data.txt'))).toBe(true);
    for (const name of ['pvc-other-node', 'pvc-odd-path']) {
      expect((await volumes().get(name)).metadata.finalizers).toContain('kite.dev/local-path-cleanup');
      await release(name);
    }
  });
});

// Prepares a pod's volumes as host directories (BRIEF §4) and maps its containers' volumeMounts
// onto them: emptyDir (per pod, removed with it), hostPath, configMap and secret (one file per
// key, read-only like Kubernetes' projections), and persistentVolumeClaim (a directory per claim
// on this node that outlives the pod, for stateful workloads).
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Container, Pod } from '@kite/api-types';
import type { Mount } from '../runtime/types.js';

/** Reads the objects volumes project; throws when one does not exist. */
export interface VolumeSources {
  configMap(namespace: string, name: string): Promise<{ data?: Record<string, string>; binaryData?: Record<string, string> } | undefined>;
  secret(namespace: string, name: string): Promise<{ data?: Record<string, string>; stringData?: Record<string, string> } | undefined>;
}

export class VolumeError extends Error {}

type Volume = NonNullable<NonNullable<Pod['spec']>['volumes']>[number];
type KeyToPath = { key: string; path: string };

export interface PreparedVolume {
  hostPath: string;
  /** configMap and secret volumes are always mounted read-only. */
  forceReadOnly: boolean;
}

async function writeKeys(dir: string, files: Record<string, Buffer>, items: KeyToPath[] | undefined, what: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const entries: Array<[string, Buffer]> = items?.length
    ? items.map((i) => {
        const content = files[i.key];
        if (!content) throw new VolumeError(`${what} has no key "${i.key}"`);
        return [i.path, content];
      })
    : Object.entries(files);
  for (const [path, content] of entries) {
    const target = resolve(dir, path);
    if (!target.startsWith(resolve(dir) + '/')) throw new VolumeError(`${what}: path "${path}" leaves the volume`);
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, content);
  }
}

async function prepareOne(v: Volume, pod: Pod, podDir: string, pvcRoot: string, src: VolumeSources): Promise<PreparedVolume> {
  const ns = pod.metadata.namespace ?? 'default';
  if (v.emptyDir) {
    const dir = join(podDir, 'volumes', 'empty-dir', v.name);
    await mkdir(dir, { recursive: true });
    // World-writable like Kubernetes' emptyDir, so containers running as any user can share it.
    await chmod(dir, 0o777);
    return { hostPath: dir, forceReadOnly: false };
  }
  if (v.hostPath) {
    const type = v.hostPath.type ?? '';
    if (type === 'DirectoryOrCreate') await mkdir(v.hostPath.path, { recursive: true });
    else if (type === 'Directory' && !existsSync(v.hostPath.path)) throw new VolumeError(`hostPath ${v.hostPath.path} does not exist`);
    return { hostPath: v.hostPath.path, forceReadOnly: false };
  }
  if (v.configMap) {
    const name = v.configMap.name ?? '';
    const cm = await src.configMap(ns, name);
    if (!cm && !v.configMap.optional) throw new VolumeError(`configmap "${name}" not found`);
    const files: Record<string, Buffer> = {};
    for (const [k, val] of Object.entries(cm?.data ?? {})) files[k] = Buffer.from(val);
    for (const [k, val] of Object.entries(cm?.binaryData ?? {})) files[k] = Buffer.from(val, 'base64');
    const dir = join(podDir, 'volumes', 'configmap', v.name);
    await writeKeys(dir, files, v.configMap.items as KeyToPath[] | undefined, `configmap "${name}"`);
    return { hostPath: dir, forceReadOnly: true };
  }
  if (v.secret) {
    const name = v.secret.secretName ?? '';
    const s = await src.secret(ns, name);
    if (!s && !v.secret.optional) throw new VolumeError(`secret "${name}" not found`);
    const files: Record<string, Buffer> = {};
    for (const [k, val] of Object.entries(s?.data ?? {})) files[k] = Buffer.from(val, 'base64');
    for (const [k, val] of Object.entries(s?.stringData ?? {})) files[k] = Buffer.from(val);
    const dir = join(podDir, 'volumes', 'secret', v.name);
    await writeKeys(dir, files, v.secret.items as KeyToPath[] | undefined, `secret "${name}"`);
    return { hostPath: dir, forceReadOnly: true };
  }
  if (v.persistentVolumeClaim) {
    const dir = join(pvcRoot, ns, v.persistentVolumeClaim.claimName);
    await mkdir(dir, { recursive: true });
    return { hostPath: dir, forceReadOnly: Boolean(v.persistentVolumeClaim.readOnly) };
  }
  throw new VolumeError(`volume "${v.name}": unsupported volume type (supported: emptyDir, hostPath, configMap, secret, persistentVolumeClaim)`);
}

export async function prepareVolumes(pod: Pod, podDir: string, pvcRoot: string, src: VolumeSources): Promise<Map<string, PreparedVolume>> {
  const out = new Map<string, PreparedVolume>();
  for (const v of pod.spec?.volumes ?? []) out.set(v.name, await prepareOne(v, pod, podDir, pvcRoot, src));
  return out;
}

/** The runtime mounts of one container; a mount naming no volume is an error. */
export function containerMounts(c: Container, volumes: Map<string, PreparedVolume>): Mount[] {
  return (c.volumeMounts ?? []).map((m) => {
    const v = volumes.get(m.name);
    if (!v) throw new VolumeError(`container "${c.name}" mounts volume "${m.name}", which the pod does not define`);
    return { hostPath: m.subPath ? join(v.hostPath, m.subPath) : v.hostPath, containerPath: m.mountPath, readOnly: Boolean(m.readOnly) || v.forceReadOnly };
  });
}

export async function cleanupPodDir(podDir: string): Promise<void> {
  await rm(podDir, { recursive: true, force: true });
}

// Prepares a pod's volumes as host directories (BRIEF §4) and maps its containers' volumeMounts
// onto them: emptyDir (per pod, removed with it), hostPath, configMap and secret (one file per
// key, read-only like Kubernetes' projections), projected (projected.ts: ServiceAccount tokens,
// keys and downward API fields in one directory), and persistentVolumeClaim (claims.ts: the
// directory of the PersistentVolume bound to the claim, which outlives the pod).
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Container, Pod } from '@kite/api-types';
import type { Mount } from '../runtime/types.js';
import { claimDirectory, type ClaimSources } from './claims.js';
import { VolumeError } from './errors.js';
import { DEFAULT_TOKEN_EXPIRATION_SECONDS, downwardField, type Projection, type TokenSource } from './projected.js';

/** Reads the objects volumes project; throws when one does not exist. */
export interface VolumeSources extends Partial<TokenSource>, Partial<ClaimSources> {
  configMap(namespace: string, name: string): Promise<{ data?: Record<string, string>; binaryData?: Record<string, string> } | undefined>;
  secret(namespace: string, name: string): Promise<{ data?: Record<string, string>; stringData?: Record<string, string> } | undefined>;
}

export { VolumeError };

type Volume = NonNullable<NonNullable<Pod['spec']>['volumes']>[number];
type KeyToPath = { key: string; path: string };

export interface PreparedVolume {
  hostPath: string;
  /** configMap, secret and projected volumes are always mounted read-only. */
  forceReadOnly: boolean;
  /** When a projected token in it must be renewed (80% of its lifetime), epoch ms. */
  refreshAt?: number;
}

async function configMapFiles(src: VolumeSources, ns: string, name: string, optional: boolean | undefined): Promise<Record<string, Buffer>> {
  const cm = await src.configMap(ns, name);
  if (!cm && !optional) throw new VolumeError(`configmap "${name}" not found`);
  const files: Record<string, Buffer> = {};
  for (const [k, val] of Object.entries(cm?.data ?? {})) files[k] = Buffer.from(val);
  for (const [k, val] of Object.entries(cm?.binaryData ?? {})) files[k] = Buffer.from(val, 'base64');
  return files;
}

async function secretFiles(src: VolumeSources, ns: string, name: string, optional: boolean | undefined): Promise<Record<string, Buffer>> {
  const s = await src.secret(ns, name);
  if (!s && !optional) throw new VolumeError(`secret "${name}" not found`);
  const files: Record<string, Buffer> = {};
  for (const [k, val] of Object.entries(s?.data ?? {})) files[k] = Buffer.from(val, 'base64');
  for (const [k, val] of Object.entries(s?.stringData ?? {})) files[k] = Buffer.from(val);
  return files;
}

/** One projection's files (path → content), and when its token must be renewed. */
async function projectionFiles(p: Projection, pod: Pod, src: VolumeSources): Promise<{ files: Array<[string, Buffer]>; refreshAt?: number }> {
  const ns = pod.metadata.namespace ?? 'default';
  const pick = (files: Record<string, Buffer>, items: KeyToPath[] | undefined, what: string): Array<[string, Buffer]> =>
    items?.length
      ? items.map((i) => {
          const content = files[i.key];
          if (!content) throw new VolumeError(`${what} has no key "${i.key}"`);
          return [i.path, content];
        })
      : Object.entries(files);
  if (p.configMap) return { files: pick(await configMapFiles(src, ns, p.configMap.name ?? '', p.configMap.optional), p.configMap.items as KeyToPath[] | undefined, `configmap "${p.configMap.name ?? ''}"`) };
  if (p.secret) return { files: pick(await secretFiles(src, ns, p.secret.name ?? '', p.secret.optional), p.secret.items as KeyToPath[] | undefined, `secret "${p.secret.name ?? ''}"`) };
  if (p.downwardAPI) return { files: (p.downwardAPI.items ?? []).map((i) => [i.path, Buffer.from(downwardField(pod, i.fieldRef?.fieldPath ?? '') ?? '')]) };
  if (p.serviceAccountToken) {
    if (!src.serviceAccountToken) throw new VolumeError('serviceAccountToken projection: this kubelet cannot request tokens');
    const ttl = p.serviceAccountToken.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
    const issued = await src.serviceAccountToken(pod, p.serviceAccountToken.audience, ttl);
    return { files: [[p.serviceAccountToken.path, Buffer.from(issued.token)]], refreshAt: Date.now() + ttl * 800 };
  }
  return { files: [] };
}

/**
 * Writes the files of a key-to-path volume. `inPlace` keeps the directory (a running container
 * has it mounted) and replaces each file atomically by rename, as a token refresh needs.
 */
async function writeKeys(dir: string, files: Record<string, Buffer>, items: KeyToPath[] | undefined, what: string, inPlace = false): Promise<void> {
  if (!inPlace) await rm(dir, { recursive: true, force: true });
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
    if (!inPlace) await writeFile(target, content);
    else {
      await writeFile(`${target}.tmp`, content, { mode: 0o644 });
      await rename(`${target}.tmp`, target);
    }
  }
}

async function prepareOne(v: Volume, pod: Pod, podDir: string, src: VolumeSources): Promise<PreparedVolume> {
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
    const files = await configMapFiles(src, ns, name, v.configMap.optional);
    const dir = join(podDir, 'volumes', 'configmap', v.name);
    await writeKeys(dir, files, v.configMap.items as KeyToPath[] | undefined, `configmap "${name}"`);
    return { hostPath: dir, forceReadOnly: true };
  }
  if (v.secret) {
    const name = v.secret.secretName ?? '';
    const files = await secretFiles(src, ns, name, v.secret.optional);
    const dir = join(podDir, 'volumes', 'secret', v.name);
    await writeKeys(dir, files, v.secret.items as KeyToPath[] | undefined, `secret "${name}"`);
    return { hostPath: dir, forceReadOnly: true };
  }
  if (v.projected) {
    const dir = join(podDir, 'volumes', 'projected', v.name);
    const all: Array<[string, Buffer]> = [];
    let refreshAt: number | undefined;
    for (const p of v.projected.sources ?? []) {
      const r = await projectionFiles(p, pod, src);
      all.push(...r.files);
      if (r.refreshAt !== undefined) refreshAt = Math.min(refreshAt ?? Infinity, r.refreshAt);
    }
    await writeKeys(dir, Object.fromEntries(all), undefined, `projected volume "${v.name}"`, true);
    return { hostPath: dir, forceReadOnly: true, ...(refreshAt !== undefined ? { refreshAt } : {}) };
  }
  if (v.persistentVolumeClaim) return claimDirectory(src, ns, v.persistentVolumeClaim);
  throw new VolumeError(`volume "${v.name}": unsupported volume type (supported: emptyDir, hostPath, configMap, secret, projected, persistentVolumeClaim)`);
}

export async function prepareVolumes(pod: Pod, podDir: string, src: VolumeSources): Promise<Map<string, PreparedVolume>> {
  const out = new Map<string, PreparedVolume>();
  for (const v of pod.spec?.volumes ?? []) out.set(v.name, await prepareOne(v, pod, podDir, src));
  return out;
}

/**
 * The host directory of a volumeMount's subPath: relative, never leaving the volume (no `..`),
 * created on first use in a writable volume as Kubernetes does.
 */
function subPathDirectory(c: Container, volume: PreparedVolume, subPath: string): string {
  if (isAbsolute(subPath) || subPath.split('/').includes('..')) {
    throw new VolumeError(`container "${c.name}": subPath ${JSON.stringify(subPath)} must be a relative path without '..'`);
  }
  const dir = join(volume.hostPath, subPath);
  if (!volume.forceReadOnly && !existsSync(dir)) mkdirSync(dir, { recursive: true });
  return dir;
}

/** The runtime mounts of one container; a mount naming no volume is an error. */
export function containerMounts(c: Container, volumes: Map<string, PreparedVolume>): Mount[] {
  return (c.volumeMounts ?? []).map((m) => {
    const v = volumes.get(m.name);
    if (!v) throw new VolumeError(`container "${c.name}" mounts volume "${m.name}", which the pod does not define`);
    return { hostPath: m.subPath ? subPathDirectory(c, v, m.subPath) : v.hostPath, containerPath: m.mountPath, readOnly: Boolean(m.readOnly) || v.forceReadOnly };
  });
}

export async function cleanupPodDir(podDir: string): Promise<void> {
  await rm(podDir, { recursive: true, force: true });
}

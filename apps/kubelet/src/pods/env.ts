// Resolves a container's environment as Kubernetes does: envFrom first, then env (later wins);
// valueFrom fieldRef, resourceFieldRef, configMapKeyRef and secretKeyRef; and `$(VAR)` references
// in values, command and args (`$$` escapes). A missing non-optional reference is an error the
// pod shows as CreateContainerConfigError.
import type { EnvVar } from '@kite/cri';
import type { ContainerObj, PodObj } from '../objects.js';
import { resourceField } from '../volumes/projected.js';
import type { VolumeSources } from '../volumes/volumes.js';

export class EnvError extends Error {}

function fieldRef(pod: PodObj, path: string, podIP: string | undefined, hostIP: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2] ?? ''] ?? '';
  switch (path) {
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? '';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? 'default';
    case 'status.hostIP': return hostIP;
    case 'status.podIP':
    case 'status.podIPs': return podIP ?? '';
    default: throw new EnvError(`unsupported fieldRef ${path}`);
  }
}

/** Expands `$(NAME)` from `vars`; unknown references stay as written, `$$` is a literal `$`. */
export function expand(input: string, vars: Map<string, string>): string {
  return input.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (whole === '$$') return '$';
    return name !== undefined && vars.has(name) ? (vars.get(name) ?? '') : whole;
  });
}

export interface EnvContext {
  pod: PodObj;
  podIP?: string;
  hostIP: string;
  sources: VolumeSources;
  /** Variables every container gets first (Service discovery variables). */
  base?: EnvVar[];
}

async function keyRef(ctx: EnvContext, kind: 'configMap' | 'secret', ref: { name?: string; key: string; optional?: boolean }): Promise<string | undefined> {
  const ns = ctx.pod.metadata.namespace ?? 'default';
  const name = ref.name ?? '';
  if (kind === 'configMap') {
    const cm = await ctx.sources.configMap(ns, name);
    const v = cm?.data?.[ref.key];
    if (v === undefined && !ref.optional) throw new EnvError(cm ? `configmap "${name}" has no key "${ref.key}"` : `configmap "${name}" not found`);
    return v;
  }
  const s = await ctx.sources.secret(ns, name);
  const v = s?.data?.[ref.key] !== undefined ? Buffer.from(s.data[ref.key] ?? '', 'base64').toString() : s?.stringData?.[ref.key];
  if (v === undefined && !ref.optional) throw new EnvError(s ? `secret "${name}" has no key "${ref.key}"` : `secret "${name}" not found`);
  return v;
}

export async function resolveEnv(c: ContainerObj, ctx: EnvContext): Promise<EnvVar[]> {
  const vars = new Map<string, string>();
  for (const v of ctx.base ?? []) vars.set(v.name, v.value);
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    const ns = ctx.pod.metadata.namespace ?? 'default';
    if (from.configMapRef) {
      const cm = await ctx.sources.configMap(ns, from.configMapRef.name ?? '');
      if (!cm && !from.configMapRef.optional) throw new EnvError(`configmap "${from.configMapRef.name ?? ''}" not found`);
      for (const [k, v] of Object.entries(cm?.data ?? {})) vars.set(prefix + k, v);
    }
    if (from.secretRef) {
      const s = await ctx.sources.secret(ns, from.secretRef.name ?? '');
      if (!s && !from.secretRef.optional) throw new EnvError(`secret "${from.secretRef.name ?? ''}" not found`);
      for (const [k, v] of Object.entries(s?.data ?? {})) vars.set(prefix + k, Buffer.from(v, 'base64').toString());
    }
  }
  for (const e of c.env ?? []) {
    let value: string | undefined;
    const vf = e.valueFrom;
    if (!vf) value = expand(e.value ?? '', vars);
    else if (vf.fieldRef) value = fieldRef(ctx.pod, vf.fieldRef.fieldPath, ctx.podIP, ctx.hostIP);
    else if (vf.resourceFieldRef) value = resourceField(c, vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor);
    else if (vf.configMapKeyRef) value = await keyRef(ctx, 'configMap', vf.configMapKeyRef);
    else if (vf.secretKeyRef) value = await keyRef(ctx, 'secret', vf.secretKeyRef);
    if (value !== undefined) vars.set(e.name, value);
  }
  return [...vars].map(([name, value]) => ({ name, value }));
}

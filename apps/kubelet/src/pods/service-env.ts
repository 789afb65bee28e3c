// Service discovery variables, as Kubernetes injects them into every container: for each Service
// in the pod's namespace with a cluster IP, NAME_SERVICE_HOST and NAME_SERVICE_PORT (plus one per
// named port) and the Docker-links style NAME_PORT_... variables.
import type { Service } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import type { EnvVar } from '@kite/cri';

const envName = (s: string) => s.toUpperCase().replace(/-/g, '_');

export function serviceEnv(services: readonly DeepReadonly<Service>[], namespace: string): EnvVar[] {
  const out: EnvVar[] = [];
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (svc.metadata.namespace !== namespace || !ip || ip === 'None') continue;
    const name = envName(svc.metadata.name ?? '');
    const ports = svc.spec?.ports ?? [];
    const first = ports[0];
    if (!first) continue;
    out.push({ name: `${name}_SERVICE_HOST`, value: ip }, { name: `${name}_SERVICE_PORT`, value: String(first.port) });
    for (const p of ports) if (p.name) out.push({ name: `${name}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
    const proto = (first.protocol ?? 'TCP').toLowerCase();
    out.push({ name: `${name}_PORT`, value: `${proto}://${ip}:${first.port}` });
    for (const p of ports) {
      const pp = (p.protocol ?? 'TCP').toLowerCase();
      const prefix = `${name}_PORT_${p.port}_${pp.toUpperCase()}`;
      out.push({ name: prefix, value: `${pp}://${ip}:${p.port}` }, { name: `${prefix}_PROTO`, value: pp }, { name: `${prefix}_PORT`, value: String(p.port) }, { name: `${prefix}_ADDR`, value: ip });
    }
  }
  return out;
}

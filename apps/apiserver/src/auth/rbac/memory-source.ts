// The RBAC objects RBAC authorizes from, held in memory and fed by informers on the apiserver's
// watch cache: ClusterRoles and ClusterRoleBindings by name, Roles and RoleBindings by namespace.
import type { ClusterRole, ClusterRoleBinding, KubeObject, Role, RoleBinding } from '@kite/api-types';

type Kind = 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';

export interface RbacSource {
  clusterRole(name: string): ClusterRole | undefined;
  role(namespace: string, name: string): Role | undefined;
  clusterRoleBindings(): Iterable<ClusterRoleBinding>;
  roleBindings(namespace: string): Iterable<RoleBinding>;
  clusterRoles(): Iterable<ClusterRole>;
}

export class MemoryRbacSource implements RbacSource {
  private readonly byKind = new Map<Kind, Map<string, KubeObject>>([
    ['Role', new Map()],
    ['ClusterRole', new Map()],
    ['RoleBinding', new Map()],
    ['ClusterRoleBinding', new Map()],
  ]);
  /** RoleBindings by namespace, so a request scans only its namespace's bindings. */
  private readonly bindingsByNs = new Map<string, Map<string, RoleBinding>>();

  private static key(o: KubeObject): string {
    return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
  }

  private store(kind: string): Map<string, KubeObject> | undefined {
    return this.byKind.get(kind as Kind);
  }

  upsert(o: KubeObject): void {
    const s = this.store(o.kind);
    if (!s) return;
    s.set(MemoryRbacSource.key(o), o);
    if (o.kind === 'RoleBinding') {
      const ns = o.metadata.namespace ?? '';
      let m = this.bindingsByNs.get(ns);
      if (!m) this.bindingsByNs.set(ns, (m = new Map()));
      m.set(o.metadata.name ?? '', o as RoleBinding);
    }
  }

  remove(o: KubeObject): void {
    this.store(o.kind)?.delete(MemoryRbacSource.key(o));
    if (o.kind === 'RoleBinding') this.bindingsByNs.get(o.metadata.namespace ?? '')?.delete(o.metadata.name ?? '');
  }

  reset(kind: string): void {
    this.store(kind)?.clear();
    if (kind === 'RoleBinding') this.bindingsByNs.clear();
  }

  clusterRole(name: string): ClusterRole | undefined {
    return this.store('ClusterRole')?.get(`/${name}`) as ClusterRole | undefined;
  }

  role(namespace: string, name: string): Role | undefined {
    return this.store('Role')?.get(`${namespace}/${name}`) as Role | undefined;
  }

  clusterRoleBindings(): Iterable<ClusterRoleBinding> {
    return (this.store('ClusterRoleBinding')?.values() ?? []) as Iterable<ClusterRoleBinding>;
  }

  roleBindings(namespace: string): Iterable<RoleBinding> {
    return this.bindingsByNs.get(namespace)?.values() ?? [];
  }

  clusterRoles(): Iterable<ClusterRole> {
    return (this.store('ClusterRole')?.values() ?? []) as Iterable<ClusterRole>;
  }
}

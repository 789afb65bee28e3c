// /configz: a component's effective configuration as JSON, as Kubernetes' components serve it
// (k8s.io/component-base/configz): one object keyed by the name the component registers its
// config under — `kubeletconfig` (kubelet), `componentconfig` (kube-scheduler),
// `kubecontrollermanager.config.k8s.io` (kube-controller-manager), `kubeproxy.config.k8s.io`
// (kube-proxy).
//
// Why a field plan rather than the config object as it is: a config holds secrets (the
// apiserver credentials, a serving key), and /configz must never show them (BRIEF §12). The plan
// names every field of the config type (`-?`: optional ones too), so a field added later does
// not compile until someone decides whether it is shown, rendered, or left out.

/** Kubernetes' configz names, one per component. */
export const CONFIGZ_NAME = {
  kubelet: 'kubeletconfig',
  scheduler: 'componentconfig',
  controllerManager: 'kubecontrollermanager.config.k8s.io',
  proxy: 'kubeproxy.config.k8s.io',
} as const;

/** How one field appears: as it is, rendered by a function (to drop what is secret), or not at all. */
export type ConfigzField<T> = 'show' | 'omit' | ((value: NonNullable<T>) => unknown);

/** A decision for every field of `C`. */
export type ConfigzPlan<C> = { readonly [K in keyof C]-?: ConfigzField<C[K]> };

/** What /configz serves: a name and the config shown under it, read at each request. */
export interface Configz {
  name: string;
  config: () => unknown;
}

/** The fields of `cfg` the plan shows, rendered; unset fields are left out, as Go's omitempty does. */
export function configzView<C extends object>(cfg: C, plan: ConfigzPlan<C>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(plan) as (keyof C & string)[]) {
    const how = plan[key];
    const value = cfg[key];
    if (how === 'omit' || value === undefined || value === null) continue;
    out[key] = how === 'show' ? value : how(value);
  }
  return out;
}

/**
 * How a component reaches the apiserver, without its credentials: the server URL and, when the
 * token comes from a file, that file's path (a path is no secret; a token, key or certificate is).
 */
export function apiserverView(conn: { server: string; tokenFile?: string }): { server: string; tokenFile?: string } {
  return { server: conn.server, ...(conn.tokenFile ? { tokenFile: conn.tokenFile } : {}) };
}

/** The /configz document: `{"NAME": {...}}`. */
export function configzDocument(configz: Configz): Record<string, unknown> {
  return { [configz.name]: configz.config() };
}

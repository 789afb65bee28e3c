// The identities of a cluster's components, named exactly as Kubernetes names them (BRIEF §12),
// so RBAC objects written for Kubernetes apply unchanged.

export interface Identity {
  /** File stem under the PKI directory: `scheduler` → scheduler.crt, scheduler.key. */
  file: string;
  /** The user name (certificate CN). */
  user: string;
  /** Groups (certificate O). */
  groups: string[];
}

/** The cluster administrator: a member of system:masters, which RBAC lets do anything. */
export const ADMIN: Identity = { file: 'admin', user: 'kubernetes-admin', groups: ['system:masters'] };
export const SCHEDULER: Identity = { file: 'scheduler', user: 'system:kube-scheduler', groups: [] };
export const CONTROLLER_MANAGER: Identity = { file: 'controller-manager', user: 'system:kube-controller-manager', groups: [] };
export const KUBE_PROXY: Identity = { file: 'kube-proxy', user: 'system:kube-proxy', groups: [] };
/** Cluster DNS runs as the kube-dns ServiceAccount, which Kubernetes binds to system:kube-dns. */
export const KUBE_DNS: Identity = { file: 'kube-dns', user: 'system:serviceaccount:kube-system:kube-dns', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'] };
/** How the apiserver authenticates to kubelets (kubeadm's apiserver-kubelet-client). */
export const APISERVER_KUBELET_CLIENT: Identity = { file: 'apiserver-kubelet-client', user: 'kube-apiserver-kubelet-client', groups: ['system:masters'] };

/** A kubelet's client identity: the Node authorizer confines it to its own node. */
export function nodeIdentity(nodeName: string): Identity {
  return { file: `node-${nodeName}`, user: `system:node:${nodeName}`, groups: ['system:nodes'] };
}

export const CONTROL_PLANE_IDENTITIES: readonly Identity[] = [ADMIN, SCHEDULER, CONTROLLER_MANAGER, KUBE_PROXY, KUBE_DNS, APISERVER_KUBELET_CLIENT];

/** Names every apiserver certificate carries, as kubeadm's: the in-cluster Service names. */
export const APISERVER_SERVICE_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost'];

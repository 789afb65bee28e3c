// The default RBAC policy every cluster starts with, named and shaped as Kubernetes'
// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy): the user-facing roles (cluster-admin, admin,
// edit, view, with their aggregation labels), the discovery and self-review roles every
// authenticated user holds, and one role per control-plane component, holding only what that
// component reads and writes. Each object is labelled `kubernetes.io/bootstrapping: rbac-defaults`
// and annotated for autoupdate, so the RBAC post-start hook can bring it back to these defaults.
import { RBAC_GROUP, type ClusterRole, type ClusterRoleBinding, type PolicyRule, type Role, type RoleBinding, type Subject } from '@kite/api-types';

export interface BootstrapPolicy {
  clusterRoles: ClusterRole[];
  clusterRoleBindings: ClusterRoleBinding[];
  roles: Role[];
  roleBindings: RoleBinding[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const ALL_VERBS = [...READ, ...WRITE];
const EVENT_WRITE = ['create', 'patch', 'update'];
const AGGREGATE_TO = 'rbac.authorization.k8s.io/aggregate-to-';

const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({
  verbs,
  apiGroups,
  resources,
  ...(resourceNames ? { resourceNames } : {}),
});
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });

function meta(name: string, labels: Record<string, string> = {}) {
  return {
    name,
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels },
    annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
  };
}

const clusterRole = (name: string, rules: PolicyRule[], labels?: Record<string, string>): ClusterRole => ({ apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: meta(name, labels), rules });

export const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
export const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });
export const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

const binding = (name: string, role: string, subjects: Subject[]): ClusterRoleBinding => ({
  apiVersion: `${RBAC_GROUP}/v1`,
  kind: 'ClusterRoleBinding',
  metadata: meta(name),
  roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
  subjects,
});

// --- the user-facing roles (aggregate-to-view ⊂ edit ⊂ admin) ---

const viewRules: PolicyRule[] = [
  rule(READ, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']),
  rule(READ, [''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(READ, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
];

const editRules: PolicyRule[] = [
  rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  rule(['create'], [''], ['pods/eviction']),
  rule(WRITE, [''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(WRITE, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
  rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['discovery.k8s.io'], ['endpointslices']),
];

// metrics-server's `system:aggregated-metrics-reader`: whoever may view pods may read their usage.
// Its rules also start view, edit and admin, so that they hold before the aggregation controller runs.
const metricsReaderRules: PolicyRule[] = [rule(READ, ['metrics.k8s.io'], ['pods', 'nodes'])];
const AGGREGATE_TO_ALL = { [`${AGGREGATE_TO}view`]: 'true', [`${AGGREGATE_TO}edit`]: 'true', [`${AGGREGATE_TO}admin`]: 'true' };

const adminRules: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule(ALL_VERBS, [RBAC_GROUP], ['rolebindings', 'roles']),
];

/** An aggregated role: the controller keeps its rules the union of the labelled roles; these are its start. */
function aggregated(name: string, rules: PolicyRule[], selectors: string[], labels?: Record<string, string>): ClusterRole {
  return {
    ...clusterRole(name, rules, labels),
    aggregationRule: { clusterRoleSelectors: selectors.map((s) => ({ matchLabels: { [`${AGGREGATE_TO}${s}`]: 'true' } })) },
  };
}

// --- the control plane's own roles ---

const schedulerRules: PolicyRule[] = [
  rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  rule(['create', 'get', 'list', 'update', 'watch'], ['coordination.k8s.io'], ['leases']),
  rule(READ, [''], ['nodes', 'namespaces', 'services', 'replicationcontrollers', 'persistentvolumeclaims', 'persistentvolumes']),
  rule(['delete', 'get', 'list', 'watch'], [''], ['pods']),
  rule(['create'], [''], ['bindings', 'pods/binding']),
  rule(['patch', 'update'], [''], ['pods/status']),
  rule(READ, ['apps'], ['replicasets', 'statefulsets']),
  rule(READ, ['policy'], ['poddisruptionbudgets']),
  rule(READ, ['storage.k8s.io'], ['storageclasses', 'csinodes', 'csidrivers', 'csistoragecapacities']),
  rule(READ, ['node.k8s.io'], ['runtimeclasses']),
  rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
];

/** One role per controller, as Kubernetes' controller roles (controller_policy.go). */
const controllerRoles: Record<string, PolicyRule[]> = {
  'replicaset-controller': [
    rule(['get', 'list', 'watch', 'update'], ['apps'], ['replicasets']),
    rule(['update'], ['apps'], ['replicasets/status', 'replicasets/finalizers']),
    rule(['list', 'watch', 'patch', 'create', 'delete'], [''], ['pods']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'daemon-set-controller': [
    rule(['get', 'list', 'watch'], ['apps'], ['daemonsets']),
    rule(['update'], ['apps'], ['daemonsets/status', 'daemonsets/finalizers']),
    rule(['list', 'watch'], [''], ['nodes']),
    rule(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']),
    rule(['create'], [''], ['pods/binding']),
    rule(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], ['apps'], ['controllerrevisions']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'statefulset-controller': [
    rule(['list', 'watch'], [''], ['pods']),
    rule(['list', 'watch'], ['apps'], ['statefulsets']),
    rule(['get'], ['apps'], ['statefulsets']),
    rule(['update'], ['apps'], ['statefulsets/status']),
    rule(['update'], ['apps'], ['statefulsets/finalizers']),
    rule(['get', 'create', 'delete', 'update', 'patch'], [''], ['pods']),
    rule(['get', 'create', 'delete', 'update', 'patch', 'list', 'watch'], ['apps'], ['controllerrevisions']),
    rule(['get', 'create'], [''], ['persistentvolumeclaims']),
    rule(['update', 'patch', 'delete'], [''], ['persistentvolumeclaims']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'cronjob-controller': [
    rule(['get', 'list', 'watch', 'update'], ['batch'], ['cronjobs']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], ['batch'], ['jobs']),
    rule(['update'], ['batch'], ['cronjobs/status', 'cronjobs/finalizers']),
    rule(['list', 'delete'], [''], ['pods']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'deployment-controller': [
    rule(['get', 'list', 'watch', 'update'], ['apps'], ['deployments']),
    rule(['update'], ['apps'], ['deployments/status', 'deployments/finalizers']),
    rule(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], ['apps'], ['replicasets']),
    rule(['get', 'list', 'watch', 'update'], [''], ['pods']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'endpoint-controller': [
    rule(READ, [''], ['services', 'pods', 'nodes']),
    rule(['get', 'list', 'create', 'update', 'delete', 'watch'], [''], ['endpoints']),
    rule(['create'], [''], ['endpoints/restricted']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'endpointslice-controller': [
    rule(READ, [''], ['services', 'pods', 'nodes']),
    rule(['update'], [''], ['services/finalizers']),
    rule(['get', 'list', 'create', 'update', 'delete', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'generic-garbage-collector': [rule(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*'])],
  'namespace-controller': [
    rule(['get', 'list', 'watch', 'delete'], [''], ['namespaces']),
    rule(['update'], [''], ['namespaces/finalize', 'namespaces/status']),
    rule(['get', 'list', 'watch', 'delete', 'deletecollection'], ['*'], ['*']),
  ],
  'node-controller': [
    rule(['get', 'list', 'update', 'delete', 'patch', 'watch'], [''], ['nodes']),
    rule(['patch', 'update'], [''], ['nodes/status']),
    rule(['patch', 'update'], [''], ['pods/status']),
    rule(['list', 'watch', 'delete', 'get'], [''], ['pods']),
    rule(READ, ['coordination.k8s.io'], ['leases']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'node-ipam-controller': [
    rule(['get', 'list', 'watch', 'update', 'patch'], [''], ['nodes']),
    rule(['patch', 'update'], [''], ['nodes/status']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'resourcequota-controller': [
    rule(['list', 'watch'], ['*'], ['*']),
    rule(['update'], [''], ['resourcequotas/status']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'service-account-controller': [rule(['create'], [''], ['serviceaccounts']), rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events'])],
  'root-ca-cert-publisher': [rule(['create', 'update'], [''], ['configmaps']), rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events'])],
  'clusterrole-aggregation-controller': [rule(['escalate', 'get', 'list', 'watch', 'update', 'patch'], [RBAC_GROUP], ['clusterroles'])],
  // kite's idle scale-to-zero (kite.dev/scale-to-zero-after): reads request rates, scales to 0.
  'scale-to-zero-controller': [
    rule(['list', 'watch'], ['apps'], ['deployments']),
    rule(['get', 'update', 'patch'], ['apps'], ['deployments/scale']),
    rule(['get', 'list'], ['custom.metrics.k8s.io'], ['*']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'persistent-volume-binder': [
    rule(['create', 'delete', 'get', 'list', 'update', 'watch'], [''], ['persistentvolumes']),
    rule(['update'], [''], ['persistentvolumes/status']),
    rule(['get', 'list', 'update', 'watch'], [''], ['persistentvolumeclaims']),
    rule(['update'], [''], ['persistentvolumeclaims/status']),
    rule(['get', 'list', 'watch'], [''], ['pods', 'nodes']),
    rule(['create', 'get', 'list', 'watch'], ['storage.k8s.io'], ['storageclasses']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'expand-controller': [
    rule(['get', 'list', 'watch', 'update', 'patch'], [''], ['persistentvolumes']),
    rule(['update', 'patch'], [''], ['persistentvolumeclaims/status']),
    rule(['get', 'list', 'watch'], [''], ['persistentvolumeclaims']),
    rule(['get', 'list', 'watch'], ['storage.k8s.io'], ['storageclasses']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'pvc-protection-controller': [
    rule(['get', 'list', 'watch', 'update'], [''], ['persistentvolumeclaims']),
    rule(['get', 'list', 'watch'], [''], ['pods']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'pv-protection-controller': [rule(['get', 'list', 'watch', 'update'], [''], ['persistentvolumes']), rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events'])],
  'job-controller': [
    rule(['get', 'list', 'watch', 'update', 'patch'], ['batch'], ['jobs']),
    rule(['update', 'patch'], ['batch'], ['jobs/status', 'jobs/finalizers']),
    rule(['list', 'watch', 'create', 'delete', 'patch'], [''], ['pods']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'ttl-after-finished-controller': [rule(['get', 'list', 'watch', 'delete'], ['batch'], ['jobs']), rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events'])],
  'disruption-controller': [
    rule(READ, ['apps'], ['deployments', 'replicasets', 'statefulsets']),
    rule(READ, [''], ['replicationcontrollers', 'pods']),
    rule(READ, ['policy'], ['poddisruptionbudgets']),
    rule(['update'], ['policy'], ['poddisruptionbudgets/status']),
    rule(['get'], ['*'], ['*/scale']),
    rule(['patch', 'update'], [''], ['pods/status']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
  'horizontal-pod-autoscaler': [
    rule(['get', 'list', 'watch'], ['autoscaling'], ['horizontalpodautoscalers']),
    rule(['update'], ['autoscaling'], ['horizontalpodautoscalers/status']),
    rule(['get', 'update'], ['*'], ['*/scale']),
    rule(['list'], [''], ['pods']),
    rule(['get', 'list'], ['metrics.k8s.io'], ['pods']),
    rule(['get', 'list'], ['custom.metrics.k8s.io'], ['*']),
    rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  ],
};

/**
 * Kubernetes runs each controller under its own ServiceAccount when the controller manager is
 * given `--use-service-account-credentials`; ours share the manager's identity, so the manager
 * holds the informer reads every controller starts with (the shared informers list and watch
 * each kind once for all of them) and leader election's leases.
 */
const controllerManagerRules: PolicyRule[] = [
  rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  rule(['create', 'get', 'list', 'update', 'watch'], ['coordination.k8s.io'], ['leases']),
  rule(READ, ['*'], ['*']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
];

const nodeProxierRules: PolicyRule[] = [
  rule(['list', 'watch'], [''], ['services', 'endpoints']),
  rule(READ, [''], ['nodes']),
  rule(EVENT_WRITE, ['', 'events.k8s.io'], ['events']),
  rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
];

/** The proxy's activator: finds the Deployment behind a Service at zero and asks it for a replica. */
// The activator scales Deployments from zero and watches their pods while it holds requests.
const proxyActivatorRules: PolicyRule[] = [rule(['list', 'watch'], ['apps'], ['deployments']), rule(['get', 'update', 'patch'], ['apps'], ['deployments/scale']), rule(['list', 'watch'], [''], ['pods'])];

const kubeDnsRules: PolicyRule[] = [rule(['list', 'watch'], [''], ['endpoints', 'services']), rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices'])];

export function bootstrapPolicy(): BootstrapPolicy {
  const controllers = Object.entries(controllerRoles).map(([name, rules]) => clusterRole(`system:controller:${name}`, rules));
  const clusterRoles: ClusterRole[] = [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    aggregated('admin', [...adminRules, ...editRules, ...viewRules, ...metricsReaderRules], ['admin']),
    aggregated('edit', [...editRules, ...viewRules, ...metricsReaderRules], ['edit'], { [`${AGGREGATE_TO}admin`]: 'true' }),
    aggregated('view', [...viewRules, ...metricsReaderRules], ['view'], { [`${AGGREGATE_TO}edit`]: 'true' }),
    clusterRole('system:aggregate-to-admin', adminRules, { [`${AGGREGATE_TO}admin`]: 'true' }),
    clusterRole('system:aggregate-to-edit', editRules, { [`${AGGREGATE_TO}edit`]: 'true' }),
    clusterRole('system:aggregate-to-view', viewRules, { [`${AGGREGATE_TO}view`]: 'true' }),
    clusterRole('system:aggregated-metrics-reader', metricsReaderRules, AGGREGATE_TO_ALL),
    clusterRole('system:discovery', [urls(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])]),
    clusterRole('system:monitoring', [urls(['get'], ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'])]),
    clusterRole('system:kube-scheduler', schedulerRules),
    // The scheduler's VolumeBinding plugin: selected-node on claims, claimRef on static volumes.
    clusterRole('system:volume-scheduler', [
      rule(['get', 'list', 'patch', 'update', 'watch'], [''], ['persistentvolumes', 'persistentvolumeclaims']),
      rule(READ, ['storage.k8s.io'], ['storageclasses']),
    ]),
    clusterRole('system:kube-controller-manager', controllerManagerRules),
    clusterRole('system:node-proxier', nodeProxierRules),
    clusterRole('system:kite:proxy-activator', proxyActivatorRules),
    clusterRole('system:kube-dns', kubeDnsRules),
    clusterRole('system:auth-delegator', [rule(['create'], ['authentication.k8s.io'], ['tokenreviews']), rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews'])]),
    clusterRole('system:node-bootstrapper', [rule(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests'])]),
    clusterRole('system:kubelet-api-admin', [rule(['get', 'list', 'watch', 'proxy'], [''], ['nodes']), rule(['*'], [''], ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'])]),
    ...controllers,
  ];
  const controllerManager = user('system:kube-controller-manager');
  const clusterRoleBindings: ClusterRoleBinding[] = [
    binding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    binding('system:discovery', 'system:discovery', [group('system:authenticated')]),
    binding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
    binding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    binding('system:monitoring', 'system:monitoring', [group('system:monitoring')]),
    binding('system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')]),
    binding('system:volume-scheduler', 'system:volume-scheduler', [user('system:kube-scheduler')]),
    binding('system:kube-controller-manager', 'system:kube-controller-manager', [controllerManager]),
    binding('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')]),
    binding('system:kite:proxy-activator', 'system:kite:proxy-activator', [user('system:kube-proxy')]),
    binding('system:kube-dns', 'system:kube-dns', [serviceAccount('kube-system', 'kube-dns')]),
    binding('system:node-bootstrapper', 'system:node-bootstrapper', [group('system:bootstrappers')]),
    binding('kube-apiserver-kubelet-client', 'system:kubelet-api-admin', [user('kube-apiserver-kubelet-client')]),
    // Each controller role is held by its own ServiceAccount (as in Kubernetes) and by the manager.
    ...Object.keys(controllerRoles).map((name) => binding(`system:controller:${name}`, `system:controller:${name}`, [serviceAccount('kube-system', name), controllerManager])),
  ];
  return { clusterRoles, clusterRoleBindings, roles: [], roleBindings: [] };
}

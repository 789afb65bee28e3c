// Realistic manifests, as users write them (most from the Kubernetes documentation). Each call
// returns a fresh object, so tests can mutate freely.
import type { KubeObject } from '../src/index.js';

type Manifest = KubeObject & Record<string, unknown>;

export const nginxDeployment = (): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx-deployment', labels: { app: 'nginx' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.14.2', ports: [{ containerPort: 80 }] }] },
    },
  },
});

export const webPod = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web', 'app.kubernetes.io/part-of': 'shop' } },
  spec: {
    initContainers: [{ name: 'init-db', image: 'busybox:1.36', command: ['sh', '-c', 'until nslookup db; do sleep 2; done'] }],
    containers: [
      {
        name: 'web',
        image: 'nginx',
        ports: [{ name: 'http', containerPort: 8080 }],
        env: [
          { name: 'MODE', value: 'production' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'MEM_LIMIT', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.memory' } } },
          { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'log.level' } } },
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
        envFrom: [{ configMapRef: { name: 'web-env' } }],
        resources: { limits: { cpu: '500m', memory: '128Mi' } },
        volumeMounts: [
          { name: 'config', mountPath: '/etc/web', readOnly: true },
          { name: 'cache', mountPath: '/var/cache/nginx' },
        ],
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 3 },
        readinessProbe: { tcpSocket: { port: 8080 } },
        startupProbe: { exec: { command: ['cat', '/tmp/started'] }, failureThreshold: 30 },
        lifecycle: { preStop: { exec: { command: ['nginx', '-s', 'quit'] } } },
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: 'web-config' } },
      { name: 'cache', emptyDir: { sizeLimit: '500Mi' } },
      { name: 'scratch' },
    ],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a', 'zone-b'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] } }],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } },
        ],
      },
    },
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }],
    runtimeClassName: 'docker',
  },
});

export const wasmPod = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'hello-wasm' },
  spec: { runtimeClassName: 'wasm', containers: [{ name: 'hello', image: 'file:///srv/hello.wasm', ports: [{ containerPort: 8080 }], resources: { limits: { memory: '64Mi' } } }] },
});

export const frontendReplicaSet = (): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'frontend', labels: { app: 'guestbook', tier: 'frontend' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { tier: 'frontend' } },
    template: {
      metadata: { labels: { tier: 'frontend' } },
      spec: { containers: [{ name: 'php-redis', image: 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5' }] },
    },
  },
});

export const webStatefulSet = (): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    serviceName: 'nginx',
    replicas: 3,
    minReadySeconds: 10,
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        terminationGracePeriodSeconds: 10,
        containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.24', ports: [{ containerPort: 80, name: 'web' }], volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }],
      },
    },
    volumeClaimTemplates: [
      { metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'my-storage-class', resources: { requests: { storage: '1Gi' } } } },
    ],
  },
});

export const piJob = (): Manifest => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi' },
  spec: {
    template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }], restartPolicy: 'Never' } },
    backoffLimit: 4,
  },
});

export const myService = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'my-service' },
  spec: { selector: { 'app.kubernetes.io/name': 'MyApp' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 9376 }] },
});

export const nodePortService = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web-np' },
  spec: {
    type: 'NodePort',
    selector: { app: 'web' },
    ports: [
      { name: 'http', port: 80, targetPort: 'http', nodePort: 30007 },
      { name: 'metrics', port: 9090 },
    ],
  },
});

export const myEndpoints = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'my-service' },
  subsets: [{ addresses: [{ ip: '192.0.2.42', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' } }], ports: [{ port: 9376 }] }],
});

export const exampleEndpointSlice = (): Manifest => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'example-abc', labels: { 'kubernetes.io/service-name': 'example' } },
  addressType: 'IPv4',
  ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
  endpoints: [{ addresses: ['10.1.2.3'], conditions: { ready: true }, hostname: 'pod-1', nodeName: 'node-1', zone: 'us-west2-a' }],
});

export const opaqueSecret = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db' },
  data: { username: 'YWRtaW4=', password: 'MWYyZDFlMmU2N2Rm' },
  stringData: { 'config.yaml': 'apiUrl: "https://my.api.com/api/v1"' },
});

export const tlsSecret = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'secret-tls' },
  type: 'kubernetes.io/tls',
  data: { 'tls.crt': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t', 'tls.key': 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t' },
});

export const kubeletEvent = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web.17a3c5e0b1b2c3d4', namespace: 'default' },
  involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'default', uid: '3f1c', fieldPath: 'spec.containers{web}' },
  reason: 'Pulled',
  message: 'Container image "nginx:1.14.2" already present on machine',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2025-01-01T00:00:00Z',
  lastTimestamp: '2025-01-01T00:00:00Z',
  count: 1,
  type: 'Normal',
  reportingComponent: 'kubelet',
  reportingInstance: 'node-1',
});

export const myClaim = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'myclaim' },
  spec: {
    accessModes: ['ReadWriteOnce'],
    volumeMode: 'Filesystem',
    resources: { requests: { storage: '8Gi' } },
    storageClassName: 'slow',
    selector: { matchLabels: { release: 'stable' }, matchExpressions: [{ key: 'environment', operator: 'In', values: ['dev'] }] },
  },
});

export const localPathClass = (): Manifest => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'kite.dev/local-path',
  parameters: { maxSize: '100Gi' },
  volumeBindingMode: 'WaitForFirstConsumer',
  allowVolumeExpansion: true,
});

export const nfsVolume = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: 'pv0003' },
  spec: {
    capacity: { storage: '5Gi' },
    volumeMode: 'Filesystem',
    accessModes: ['ReadWriteOnce'],
    persistentVolumeReclaimPolicy: 'Recycle',
    storageClassName: 'slow',
    mountOptions: ['hard', 'nfsvers=4.1'],
    nfs: { path: '/tmp', server: '172.17.0.2' },
  },
});

export const kiteNode = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1', 'kubernetes.io/os': 'linux' } },
  spec: { podCIDR: '127.1.1.0/24', podCIDRs: ['127.1.1.0/24'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
  status: {
    capacity: { cpu: '2', memory: '24Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z' }],
    addresses: [
      { type: 'InternalIP', address: '127.0.1.1' },
      { type: 'Hostname', address: 'node-1' },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: 'm',
      systemUUID: 's',
      bootID: 'b',
      kernelVersion: '6.1.0',
      osImage: 'Debian GNU/Linux 12',
      containerRuntimeVersion: 'wasm://0.1.0',
      kubeletVersion: 'v1.32.0',
      kubeProxyVersion: 'v1.32.0',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    images: [{ names: ['nginx:1.14.2'], sizeBytes: 44710204 }],
  },
});

export const phpApacheHPA = (): Manifest => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'php-apache' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
  },
});

export const nodeLease = (): Manifest => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'node-1', namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'a1b2' }] },
  spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' },
});

export const wasmRuntimeClass = (): Manifest => ({
  apiVersion: 'node.k8s.io/v1',
  kind: 'RuntimeClass',
  metadata: { name: 'wasm' },
  handler: 'wasm',
  overhead: { podFixed: { memory: '16Mi', cpu: '10m' } },
  scheduling: { nodeSelector: { 'kite.dev/runtime-wasm': 'true' }, tolerations: [{ key: 'kite.dev/wasm-only', operator: 'Exists', effect: 'NoSchedule' }] },
});

export const defaultNamespace = (): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });

export const gameConfigMap = (): Manifest => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'game-demo' },
  data: { player_initial_lives: '3', 'game.properties': 'enemy.types=aliens,monsters\nplayer.maximum-lives=5' },
});

/** One realistic manifest of every registered kind. */
export const manifestsByKind: Record<string, () => Manifest> = {
  Namespace: defaultNamespace,
  ConfigMap: gameConfigMap,
  Pod: webPod,
  Node: kiteNode,
  Service: myService,
  Endpoints: myEndpoints,
  Secret: opaqueSecret,
  Event: kubeletEvent,
  PersistentVolumeClaim: myClaim,
  PersistentVolume: nfsVolume,
  StorageClass: localPathClass,
  Deployment: nginxDeployment,
  ReplicaSet: frontendReplicaSet,
  StatefulSet: webStatefulSet,
  Job: piJob,
  HorizontalPodAutoscaler: phpApacheHPA,
  Lease: nodeLease,
  EndpointSlice: exampleEndpointSlice,
  RuntimeClass: wasmRuntimeClass,
};

// Every kind: a realistic manifest passes validation after defaulting, with zero causes, and gets
// the defaults Kubernetes would give it.
import { describe, expect, it } from 'vitest';
import * as f from './fixtures.js';
import { admit, get, set } from './helpers.js';

describe('realistic manifests', () => {
  it.each(Object.entries(f.manifestsByKind))('%s validates after defaults', (_kind, make) => {
    expect(admit(make()).causes).toEqual([]);
  });

  it.each([
    ['wasm pod', f.wasmPod],
    ['tls secret', f.tlsSecret],
    ['NodePort service', f.nodePortService],
  ])('%s validates after defaults', (_name, make) => {
    expect(admit(make()).causes).toEqual([]);
  });
});

type Make = () => ReturnType<typeof f.webPod>;
/** [description, manifest, edits before admission as path -> value, path, expected default]. */
const defaultCases: [string, Make, Record<string, unknown>, string, unknown][] = [
  ['pod restartPolicy', f.webPod, {}, 'spec.restartPolicy', 'Always'],
  ['pod dnsPolicy', f.webPod, {}, 'spec.dnsPolicy', 'ClusterFirst'],
  ['pod grace period', f.webPod, {}, 'spec.terminationGracePeriodSeconds', 30],
  ['pod scheduler', f.webPod, {}, 'spec.schedulerName', 'default-scheduler'],
  ['pod securityContext', f.webPod, {}, 'spec.securityContext', {}],
  ['pod service links', f.webPod, {}, 'spec.enableServiceLinks', true],
  ['untagged image pulls Always', f.webPod, {}, 'spec.containers[0].imagePullPolicy', 'Always'],
  ['tagged init image pulls IfNotPresent', f.webPod, {}, 'spec.initContainers[0].imagePullPolicy', 'IfNotPresent'],
  ['wasm URL pulls IfNotPresent', f.wasmPod, {}, 'spec.containers[0].imagePullPolicy', 'IfNotPresent'],
  ['explicit pull policy kept', f.webPod, { 'spec.containers[0].imagePullPolicy': 'Never' }, 'spec.containers[0].imagePullPolicy', 'Never'],
  ['termination message path', f.webPod, {}, 'spec.containers[0].terminationMessagePath', '/dev/termination-log'],
  ['termination message policy', f.webPod, {}, 'spec.containers[0].terminationMessagePolicy', 'File'],
  ['init container defaults too', f.webPod, {}, 'spec.initContainers[0].terminationMessagePolicy', 'File'],
  ['container port protocol', f.webPod, {}, 'spec.containers[0].ports[0].protocol', 'TCP'],
  ['probe timeout', f.webPod, {}, 'spec.containers[0].livenessProbe.timeoutSeconds', 1],
  ['probe period', f.webPod, {}, 'spec.containers[0].readinessProbe.periodSeconds', 10],
  ['probe success threshold', f.webPod, {}, 'spec.containers[0].livenessProbe.successThreshold', 1],
  ['probe failure threshold', f.webPod, {}, 'spec.containers[0].livenessProbe.failureThreshold', 3],
  ['explicit failure threshold kept', f.webPod, {}, 'spec.containers[0].startupProbe.failureThreshold', 30],
  ['httpGet scheme', f.webPod, {}, 'spec.containers[0].livenessProbe.httpGet.scheme', 'HTTP'],
  ['httpGet path', f.webPod, { 'spec.containers[0].livenessProbe.httpGet.path': undefined }, 'spec.containers[0].livenessProbe.httpGet.path', '/'],
  ['requests from limits', f.webPod, {}, 'spec.containers[0].resources.requests', { cpu: '500m', memory: '128Mi' }],
  ['explicit request kept', f.webPod, { 'spec.containers[0].resources.requests': { cpu: '100m' } }, 'spec.containers[0].resources.requests', { cpu: '100m', memory: '128Mi' }],
  ['volume without source is emptyDir', f.webPod, {}, 'spec.volumes[2].emptyDir', {}],
  ['configMap volume mode 0644', f.webPod, {}, 'spec.volumes[0].configMap.defaultMode', 420],
  ['fieldRef apiVersion', f.webPod, {}, 'spec.containers[0].env[1].valueFrom.fieldRef.apiVersion', 'v1'],
  ['hostNetwork host ports', f.webPod, { 'spec.hostNetwork': true }, 'spec.containers[0].ports[0].hostPort', 8080],
  ['deployment replicas kept', f.nginxDeployment, {}, 'spec.replicas', 3],
  ['deployment replicas', f.nginxDeployment, { 'spec.replicas': undefined }, 'spec.replicas', 1],
  ['deployment strategy', f.nginxDeployment, {}, 'spec.strategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }],
  ['recreate gets no rollingUpdate', f.nginxDeployment, { 'spec.strategy': { type: 'Recreate' } }, 'spec.strategy', { type: 'Recreate' }],
  ['deployment history limit', f.nginxDeployment, {}, 'spec.revisionHistoryLimit', 10],
  ['deployment progress deadline', f.nginxDeployment, {}, 'spec.progressDeadlineSeconds', 600],
  ['deployment minReadySeconds', f.nginxDeployment, {}, 'spec.minReadySeconds', 0],
  ['deployment template restartPolicy', f.nginxDeployment, {}, 'spec.template.spec.restartPolicy', 'Always'],
  ['deployment template pull policy', f.nginxDeployment, {}, 'spec.template.spec.containers[0].imagePullPolicy', 'IfNotPresent'],
  ['deployment template port protocol', f.nginxDeployment, {}, 'spec.template.spec.containers[0].ports[0].protocol', 'TCP'],
  ['templates get no service links', f.nginxDeployment, {}, 'spec.template.spec.enableServiceLinks', undefined],
  ['replicaset replicas', f.frontendReplicaSet, { 'spec.replicas': undefined }, 'spec.replicas', 1],
  ['replicaset template dnsPolicy', f.frontendReplicaSet, {}, 'spec.template.spec.dnsPolicy', 'ClusterFirst'],
  ['statefulset replicas', f.webStatefulSet, { 'spec.replicas': undefined }, 'spec.replicas', 1],
  ['statefulset pod management', f.webStatefulSet, {}, 'spec.podManagementPolicy', 'OrderedReady'],
  ['statefulset update strategy', f.webStatefulSet, {}, 'spec.updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }],
  ['statefulset OnDelete', f.webStatefulSet, { 'spec.updateStrategy': { type: 'OnDelete' } }, 'spec.updateStrategy', { type: 'OnDelete' }],
  ['statefulset history limit', f.webStatefulSet, {}, 'spec.revisionHistoryLimit', 10],
  ['statefulset claim retention', f.webStatefulSet, {}, 'spec.persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' }],
  ['statefulset claim volumeMode', f.webStatefulSet, {}, 'spec.volumeClaimTemplates[0].spec.volumeMode', 'Filesystem'],
  ['statefulset grace period kept', f.webStatefulSet, {}, 'spec.template.spec.terminationGracePeriodSeconds', 10],
  ['job parallelism', f.piJob, {}, 'spec.parallelism', 1],
  ['job completions', f.piJob, {}, 'spec.completions', 1],
  ['job completions unset with parallelism', f.piJob, { 'spec.parallelism': 3 }, 'spec.completions', undefined],
  ['job backoffLimit kept', f.piJob, {}, 'spec.backoffLimit', 4],
  ['job backoffLimit', f.piJob, { 'spec.backoffLimit': undefined }, 'spec.backoffLimit', 6],
  ['job completion mode', f.piJob, {}, 'spec.completionMode', 'NonIndexed'],
  ['job suspend', f.piJob, {}, 'spec.suspend', false],
  ['job template restartPolicy kept', f.piJob, {}, 'spec.template.spec.restartPolicy', 'Never'],
  ['job labels from template', f.piJob, { 'spec.template.metadata': { labels: { app: 'pi' } } }, 'metadata.labels', { app: 'pi' }],
  ['job selector generated from uid', f.piJob, { 'metadata.uid': 'u-1' }, 'spec.selector', { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } }],
  ['job template labelled with uid', f.piJob, { 'metadata.uid': 'u-1' }, 'spec.template.metadata.labels["batch.kubernetes.io/job-name"]', 'pi'],
  ['service type', f.myService, {}, 'spec.type', 'ClusterIP'],
  ['service affinity', f.myService, {}, 'spec.sessionAffinity', 'None'],
  ['service ClientIP timeout', f.myService, { 'spec.sessionAffinity': 'ClientIP' }, 'spec.sessionAffinityConfig', { clientIP: { timeoutSeconds: 10800 } }],
  ['service targetPort kept', f.myService, {}, 'spec.ports[0].targetPort', 9376],
  ['service targetPort from port', f.nodePortService, {}, 'spec.ports[1].targetPort', 9090],
  ['service port protocol', f.nodePortService, {}, 'spec.ports[1].protocol', 'TCP'],
  ['service internal policy', f.myService, {}, 'spec.internalTrafficPolicy', 'Cluster'],
  ['service external policy on NodePort', f.nodePortService, {}, 'spec.externalTrafficPolicy', 'Cluster'],
  ['service external policy not on ClusterIP', f.myService, {}, 'spec.externalTrafficPolicy', undefined],
  ['service ip families', f.myService, {}, 'spec.ipFamilies', ['IPv4']],
  ['service ip family policy', f.myService, {}, 'spec.ipFamilyPolicy', 'SingleStack'],
  ['ExternalName has no ip families', f.myService, { spec: { type: 'ExternalName', externalName: 'db.example.com' } }, 'spec.ipFamilies', undefined],
  ['secret type', f.opaqueSecret, {}, 'type', 'Opaque'],
  ['secret stringData folded into data', f.opaqueSecret, {}, 'data["config.yaml"]', Buffer.from('apiUrl: "https://my.api.com/api/v1"').toString('base64')],
  ['secret stringData removed', f.opaqueSecret, {}, 'stringData', undefined],
  ['node allocatable from capacity', f.kiteNode, {}, 'status.allocatable', { cpu: '2', memory: '24Gi', pods: '110' }],
  ['hpa minReplicas', f.phpApacheHPA, { 'spec.minReplicas': undefined }, 'spec.minReplicas', 1],
  ['hpa default metric', f.phpApacheHPA, { 'spec.metrics': undefined }, 'spec.metrics', [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]],
  ['hpa behavior', f.phpApacheHPA, { 'spec.behavior': { scaleDown: { stabilizationWindowSeconds: 60 } } }, 'spec.behavior.scaleDown', { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] }],
  ['endpoints port protocol', f.myEndpoints, {}, 'subsets[0].ports[0].protocol', 'TCP'],
  ['endpointslice port protocol', f.exampleEndpointSlice, { 'ports[0].protocol': undefined }, 'ports[0].protocol', 'TCP'],
  ['pvc phase', f.myClaim, {}, 'status.phase', 'Pending'],
  ['pv reclaim policy kept', f.nfsVolume, {}, 'spec.persistentVolumeReclaimPolicy', 'Recycle'],
  ['pv reclaim policy', f.nfsVolume, { 'spec.persistentVolumeReclaimPolicy': undefined }, 'spec.persistentVolumeReclaimPolicy', 'Retain'],
  ['namespace finalizer', f.defaultNamespace, {}, 'spec.finalizers', ['kubernetes']],
];

describe('defaults', () => {
  it.each(defaultCases)('%s', (_name, make, edits, path, want) => {
    const obj = make();
    for (const [p, v] of Object.entries(edits)) set(obj, p, v);
    const { obj: defaulted, causes } = admit(obj);
    expect(causes).toEqual([]);
    expect(get(defaulted, path)).toEqual(want);
  });

  it('never throws on malformed input', () => {
    const obj = f.webPod();
    set(obj, 'spec.containers', 'not-a-list');
    expect(() => admit(obj)).not.toThrow();
    expect(admit(obj).causes.map((c) => c.field)).toContain('spec.containers');
  });
});

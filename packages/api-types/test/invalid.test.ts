// Invalid manifests: each edit of a valid manifest yields causes at exactly the expected fields.
import { describe, expect, it } from 'vitest';
import * as f from './fixtures.js';
import { admit, fieldsOf, set } from './helpers.js';

type Make = () => ReturnType<typeof f.webPod>;
/** [description, manifest, edits as path -> value (undefined deletes), expected cause fields]. */
const cases: [string, Make, Record<string, unknown>, string[]][] = [
  // Metadata, shared by every kind.
  ['254-character name', f.nginxDeployment, { 'metadata.name': 'a'.repeat(254) }, ['metadata.name']],
  ['upper-case name', f.defaultNamespace, { 'metadata.name': 'Team_A' }, ['metadata.name']],
  ['bad label key', f.nginxDeployment, { 'metadata.labels': { 'bad key': 'x' } }, ['metadata.labels']],
  ['bad label value', f.webPod, { 'metadata.labels': { app: 'two words' } }, ['metadata.labels']],
  ['namespace on a cluster-scoped kind', f.wasmRuntimeClass, { 'metadata.namespace': 'default' }, ['metadata.namespace']],
  ['service name must be a DNS label', f.myService, { 'metadata.name': 'my.service' }, ['metadata.name']],

  // Pod: containers.
  ['missing image', f.webPod, { 'spec.containers[0].image': undefined }, ['spec.containers[0].image']],
  ['image with spaces', f.webPod, { 'spec.containers[0].image': ' nginx' }, ['spec.containers[0].image']],
  ['no containers', f.webPod, { 'spec.containers': [] }, ['spec.containers']],
  ['missing container name', f.wasmPod, { 'spec.containers[0].name': undefined }, ['spec.containers[0].name']],
  ['container name not a DNS label', f.webPod, { 'spec.containers[0].name': 'Web_1' }, ['spec.containers[0].name']],
  ['container name shared with an init container', f.webPod, { 'spec.initContainers[0].name': 'web' }, ['spec.containers[0].name']],
  ['container port 0', f.wasmPod, { 'spec.containers[0].ports[0].containerPort': 0 }, ['spec.containers[0].ports[0].containerPort']],
  ['container port 70000', f.webPod, { 'spec.containers[0].ports[0].containerPort': 70000 }, ['spec.containers[0].ports[0].containerPort']],
  ['port name over 15 characters', f.wasmPod, { 'spec.containers[0].ports[0].name': 'http-alternative' }, ['spec.containers[0].ports[0].name']],
  ['port name without a letter', f.wasmPod, { 'spec.containers[0].ports[0].name': '8080' }, ['spec.containers[0].ports[0].name']],
  ['duplicate port names', f.wasmPod, { 'spec.containers[0].ports': [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }] }, ['spec.containers[0].ports[1].name']],
  ['bad protocol', f.wasmPod, { 'spec.containers[0].ports[0].protocol': 'HTTP' }, ['spec.containers[0].ports[0].protocol']],
  ['env name with =', f.webPod, { 'spec.containers[0].env[0].name': 'A=B' }, ['spec.containers[0].env[0].name']],
  ['env value and valueFrom', f.webPod, { 'spec.containers[0].env[1].value': 'x' }, ['spec.containers[0].env[1].valueFrom']],
  ['env valueFrom with two sources', f.webPod, { 'spec.containers[0].env[1].valueFrom.secretKeyRef': { name: 's', key: 'k' } }, ['spec.containers[0].env[1].valueFrom']],
  ['unsupported fieldRef path', f.webPod, { 'spec.containers[0].env[1].valueFrom.fieldRef.fieldPath': 'spec.foo' }, ['spec.containers[0].env[1].valueFrom.fieldRef.fieldPath']],
  ['bad configMapKeyRef key', f.webPod, { 'spec.containers[0].env[3].valueFrom.configMapKeyRef.key': 'a/b' }, ['spec.containers[0].env[3].valueFrom.configMapKeyRef.key']],
  ['envFrom with no source', f.webPod, { 'spec.containers[0].envFrom': [{ prefix: 'X_' }] }, ['spec.containers[0].envFrom[0]']],
  ['request above limit', f.webPod, { 'spec.containers[0].resources': { requests: { cpu: '1' }, limits: { cpu: '500m' } } }, ['spec.containers[0].resources.requests[cpu]']],
  // The request defaulted from the limit is reported too.
  ['malformed quantity', f.webPod, { 'spec.containers[0].resources.limits.memory': '12XB' }, ['spec.containers[0].resources.limits.memory', 'spec.containers[0].resources.requests.memory']],
  ['negative quantity', f.webPod, { 'spec.containers[0].resources.limits.cpu': '-1' }, ['spec.containers[0].resources.limits[cpu]', 'spec.containers[0].resources.requests[cpu]']],
  ['mount of an unknown volume', f.webPod, { 'spec.containers[0].volumeMounts[0].name': 'missing' }, ['spec.containers[0].volumeMounts[0].name']],
  ['duplicate mount path', f.webPod, { 'spec.containers[0].volumeMounts[1].mountPath': '/etc/web' }, ['spec.containers[0].volumeMounts[1].mountPath']],
  ['subPath escaping the volume', f.webPod, { 'spec.containers[0].volumeMounts[1].subPath': '../etc' }, ['spec.containers[0].volumeMounts[1].subPath']],
  ['probe with two handlers', f.webPod, { 'spec.containers[0].livenessProbe.tcpSocket': { port: 8080 } }, ['spec.containers[0].livenessProbe.tcpSocket']],
  ['probe without a handler', f.webPod, { 'spec.containers[0].readinessProbe': { periodSeconds: 5 } }, ['spec.containers[0].readinessProbe']],
  ['liveness success threshold 2', f.webPod, { 'spec.containers[0].livenessProbe.successThreshold': 2 }, ['spec.containers[0].livenessProbe.successThreshold']],
  ['probe port out of range', f.webPod, { 'spec.containers[0].readinessProbe.tcpSocket.port': 0 }, ['spec.containers[0].readinessProbe.tcpSocket.port']],
  ['negative probe delay', f.webPod, { 'spec.containers[0].livenessProbe.initialDelaySeconds': -1 }, ['spec.containers[0].livenessProbe.initialDelaySeconds']],
  ['lifecycle hook without handler', f.webPod, { 'spec.containers[0].lifecycle.preStop': {} }, ['spec.containers[0].lifecycle.preStop']],
  ['readiness probe on an init container', f.webPod, { 'spec.initContainers[0].readinessProbe': { tcpSocket: { port: 80 } } }, ['spec.initContainers[0].readinessProbe']],
  ['restartPolicy on a regular container', f.webPod, { 'spec.containers[0].restartPolicy': 'Always' }, ['spec.containers[0].restartPolicy']],

  // Pod: volumes and pod-level fields.
  ['volume name not a DNS label', f.webPod, { 'spec.volumes[2].name': 'Scratch' }, ['spec.volumes[2].name']],
  ['duplicate volume names', f.webPod, { 'spec.volumes[2].name': 'cache' }, ['spec.volumes[2].name']],
  ['volume with two sources', f.webPod, { 'spec.volumes[1].hostPath': { path: '/tmp' } }, ['spec.volumes[1].hostPath']],
  ['hostPath without path', f.webPod, { 'spec.volumes[2].hostPath': { path: '' } }, ['spec.volumes[2].hostPath.path']],
  ['bad restartPolicy', f.webPod, { 'spec.restartPolicy': 'Sometimes' }, ['spec.restartPolicy']],
  ['bad dnsPolicy', f.webPod, { 'spec.dnsPolicy': 'Google' }, ['spec.dnsPolicy']],
  ['dnsPolicy None without dnsConfig', f.webPod, { 'spec.dnsPolicy': 'None' }, ['spec.dnsConfig']],
  ['bad nodeSelector value', f.webPod, { 'spec.nodeSelector': { disk: 'fast ssd' } }, ['spec.nodeSelector']],
  ['negative grace period', f.webPod, { 'spec.terminationGracePeriodSeconds': -1 }, ['spec.terminationGracePeriodSeconds']],
  ['zero active deadline', f.webPod, { 'spec.activeDeadlineSeconds': 0 }, ['spec.activeDeadlineSeconds']],
  ['bad serviceAccountName', f.webPod, { 'spec.serviceAccountName': 'My SA' }, ['spec.serviceAccountName']],
  ['bad hostname', f.webPod, { 'spec.hostname': 'web.1' }, ['spec.hostname']],
  ['bad taint effect in toleration', f.webPod, { 'spec.tolerations[0].effect': 'NoRun' }, ['spec.tolerations[0].effect']],
  ['tolerationSeconds without NoExecute', f.webPod, { 'spec.tolerations[0].effect': 'NoSchedule' }, ['spec.tolerations[0].effect']],
  ['empty toleration key with Equal', f.webPod, { 'spec.tolerations': [{ operator: 'Equal', value: 'x' }] }, ['spec.tolerations[0].operator']],
  ['node affinity In without values', f.webPod, { 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values': [] }, ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values']],
  ['node affinity Gt with a word', f.webPod, { 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]': { key: 'cpus', operator: 'Gt', values: ['many'] } }, ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values']],
  ['no node selector terms', f.webPod, { 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms': [] }, ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms']],
  ['preferred weight 0', f.webPod, { 'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight': 0 }, ['spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight']],
  ['pod affinity without topologyKey', f.webPod, { 'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey': '' }, ['spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey']],
  ['topology spread maxSkew 0', f.webPod, { 'spec.topologySpreadConstraints[0].maxSkew': 0 }, ['spec.topologySpreadConstraints[0].maxSkew']],
  ['host port differs under hostNetwork', f.wasmPod, { 'spec.hostNetwork': true, 'spec.containers[0].ports[0].hostPort': 9090 }, ['spec.containers[0].ports[0].containerPort']],

  // Deployment, ReplicaSet, StatefulSet.
  ['template labels do not match selector', f.nginxDeployment, { 'spec.template.metadata.labels': { app: 'web' } }, ['spec.template.metadata.labels']],
  ['template without labels', f.nginxDeployment, { 'spec.template.metadata': undefined }, ['spec.template.metadata.labels']],
  ['empty selector', f.nginxDeployment, { 'spec.selector': {} }, ['spec.selector']],
  ['missing selector', f.nginxDeployment, { 'spec.selector': undefined }, ['spec.selector']],
  ['selector In without values', f.nginxDeployment, { 'spec.selector.matchExpressions': [{ key: 'tier', operator: 'In', values: [] }] }, ['spec.selector.matchExpressions[0].values']],
  ['negative replicas', f.nginxDeployment, { 'spec.replicas': -1 }, ['spec.replicas']],
  ['maxSurge and maxUnavailable both 0', f.nginxDeployment, { 'spec.strategy': { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }, ['spec.strategy.rollingUpdate.maxUnavailable']],
  ['maxUnavailable over 100%', f.nginxDeployment, { 'spec.strategy': { rollingUpdate: { maxUnavailable: '120%' } } }, ['spec.strategy.rollingUpdate.maxUnavailable']],
  ['maxSurge not a percentage', f.nginxDeployment, { 'spec.strategy': { rollingUpdate: { maxSurge: 'half' } } }, ['spec.strategy.rollingUpdate.maxSurge']],
  ['Recreate with rollingUpdate', f.nginxDeployment, { 'spec.strategy': { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }, ['spec.strategy.rollingUpdate']],
  ['deployment template restartPolicy Never', f.nginxDeployment, { 'spec.template.spec.restartPolicy': 'Never' }, ['spec.template.spec.restartPolicy']],
  ['deployment template without image', f.nginxDeployment, { 'spec.template.spec.containers[0].image': '' }, ['spec.template.spec.containers[0].image']],
  ['deployment template active deadline', f.nginxDeployment, { 'spec.template.spec.activeDeadlineSeconds': 60 }, ['spec.template.spec.activeDeadlineSeconds']],
  ['progress deadline not above minReadySeconds', f.nginxDeployment, { 'spec.minReadySeconds': 600 }, ['spec.progressDeadlineSeconds']],
  ['replicaset without template', f.frontendReplicaSet, { 'spec.template': undefined }, ['spec.template']],
  ['replicaset labels do not match', f.frontendReplicaSet, { 'spec.selector.matchLabels': { tier: 'backend' } }, ['spec.template.metadata.labels']],
  ['statefulset claim template without name', f.webStatefulSet, { 'spec.volumeClaimTemplates[0].metadata': undefined }, ['spec.template.spec.containers[0].volumeMounts[0].name', 'spec.volumeClaimTemplates[0].metadata.name']],
  ['statefulset claim without storage', f.webStatefulSet, { 'spec.volumeClaimTemplates[0].spec.resources': undefined }, ['spec.volumeClaimTemplates[0].spec.resources[storage]']],
  ['statefulset bad pod management', f.webStatefulSet, { 'spec.podManagementPolicy': 'Random' }, ['spec.podManagementPolicy']],
  ['statefulset negative partition', f.webStatefulSet, { 'spec.updateStrategy': { rollingUpdate: { partition: -1 } } }, ['spec.updateStrategy.rollingUpdate.partition']],

  // Job.
  ['job restartPolicy Always', f.piJob, { 'spec.template.spec.restartPolicy': 'Always' }, ['spec.template.spec.restartPolicy']],
  ['job without restartPolicy', f.piJob, { 'spec.template.spec.restartPolicy': undefined }, ['spec.template.spec.restartPolicy']],
  ['job negative parallelism', f.piJob, { 'spec.parallelism': -1 }, ['spec.parallelism']],
  ['indexed job without completions', f.piJob, { 'spec.completionMode': 'Indexed', 'spec.parallelism': 2 }, ['spec.completions']],
  ['manual selector missing', f.piJob, { 'spec.manualSelector': true }, ['spec.selector']],
  ['manual selector not matching', f.piJob, { 'spec.manualSelector': true, 'spec.selector': { matchLabels: { app: 'pi' } } }, ['spec.template.metadata.labels']],

  // Service.
  ['service without ports', f.myService, { 'spec.ports': [] }, ['spec.ports']],
  ['unnamed port among several', f.nodePortService, { 'spec.ports[1].name': undefined }, ['spec.ports[1].name']],
  ['duplicate port names', f.nodePortService, { 'spec.ports[1].name': 'http' }, ['spec.ports[1].name']],
  ['duplicate port and protocol', f.nodePortService, { 'spec.ports[1].port': 80 }, ['spec.ports[1]']],
  ['port 0', f.myService, { 'spec.ports[0].port': 0 }, ['spec.ports[0].port']],
  ['targetPort out of range', f.myService, { 'spec.ports[0].targetPort': 70000 }, ['spec.ports[0].targetPort']],
  ['targetPort bad name', f.myService, { 'spec.ports[0].targetPort': 'HTTP' }, ['spec.ports[0].targetPort']],
  ['nodePort on ClusterIP', f.myService, { 'spec.ports[0].nodePort': 30080 }, ['spec.ports[0].nodePort']],
  ['nodePort outside the range', f.nodePortService, { 'spec.ports[0].nodePort': 8080 }, ['spec.ports[0].nodePort']],
  ['unknown service type', f.myService, { 'spec.type': 'Internal' }, ['spec.type']],
  ['ExternalName without externalName', f.myService, { 'spec.type': 'ExternalName' }, ['spec.externalName']],
  ['malformed clusterIP', f.myService, { 'spec.clusterIP': '10.0.0' }, ['spec.clusterIP']],
  ['bad selector key', f.myService, { 'spec.selector': { 'a/b/c': 'x' } }, ['spec.selector']],
  ['ClientIP timeout too long', f.myService, { 'spec.sessionAffinity': 'ClientIP', 'spec.sessionAffinityConfig': { clientIP: { timeoutSeconds: 90000 } } }, ['spec.sessionAffinityConfig.clientIP.timeoutSeconds']],

  // Other core kinds.
  ['endpoints with a bad IP', f.myEndpoints, { 'subsets[0].addresses[0].ip': '192.0.2' }, ['subsets[0].addresses[0].ip']],
  ['tls secret without key', f.tlsSecret, { 'data["tls.key"]': undefined }, ['data[tls.key]']],
  ['secret data not base64', f.opaqueSecret, { 'data.username': 'not base64!' }, ['data[username]']],
  ['secret bad key', f.opaqueSecret, { 'data["a/b"]': 'eA==' }, ['data["a/b"]']],
  ['event without involvedObject', f.kubeletEvent, { involvedObject: undefined }, ['involvedObject']],
  ['event of unknown type', f.kubeletEvent, { type: 'Info' }, ['type']],
  ['event in another namespace', f.kubeletEvent, { 'involvedObject.namespace': 'kube-system' }, ['involvedObject.namespace']],
  ['claim without access modes', f.myClaim, { 'spec.accessModes': [] }, ['spec.accessModes']],
  ['claim of zero storage', f.myClaim, { 'spec.resources.requests.storage': '0' }, ['spec.resources[storage]']],
  ['ReadWriteOncePod with another mode', f.myClaim, { 'spec.accessModes': ['ReadWriteOncePod', 'ReadWriteOnce'] }, ['spec.accessModes']],
  ['volume without a source', f.nfsVolume, { 'spec.nfs': undefined }, ['spec']],
  ['volume without capacity', f.nfsVolume, { 'spec.capacity': undefined }, ['spec.capacity[storage]']],
  ['volume of zero capacity', f.nfsVolume, { 'spec.capacity.storage': '0' }, ['spec.capacity[storage]']],
  ['volume with two sources', f.nfsVolume, { 'spec.hostPath': { path: '/data' } }, ['spec.nfs']],
  ['volume with a bad hostPath type', f.nfsVolume, { 'spec.nfs': undefined, 'spec.hostPath': { path: '/data', type: 'Folder' } }, ['spec.hostPath.type']],
  ['class without provisioner', f.localPathClass, { provisioner: '' }, ['provisioner']],
  ['class with a bad provisioner name', f.localPathClass, { provisioner: 'not a name' }, ['provisioner']],
  ['class with a bad reclaim policy', f.localPathClass, { reclaimPolicy: 'Recycle' }, ['reclaimPolicy']],
  ['taint with a bad effect', f.kiteNode, { 'spec.taints[0].effect': 'NoRun' }, ['spec.taints[0].effect']],
  ['taint with a bad key', f.kiteNode, { 'spec.taints[0].key': 'bad key' }, ['spec.taints[0].key']],
  ['duplicate taints', f.kiteNode, { 'spec.taints[1]': { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule', value: 'x' } }, ['spec.taints[1]']],
  ['malformed pod CIDR', f.kiteNode, { 'spec.podCIDR': '127.1.1.0/33', 'spec.podCIDRs': undefined }, ['spec.podCIDR']],

  // Other groups.
  ['hpa maxReplicas 0', f.phpApacheHPA, { 'spec.maxReplicas': 0 }, ['spec.maxReplicas']],
  ['hpa min above max', f.phpApacheHPA, { 'spec.minReplicas': 5, 'spec.maxReplicas': 3 }, ['spec.maxReplicas']],
  ['hpa utilisation target without value', f.phpApacheHPA, { 'spec.metrics[0].resource.target.averageUtilization': undefined }, ['spec.metrics[0].resource.target.averageUtilization']],
  ['hpa metric type without its source', f.phpApacheHPA, { 'spec.metrics[0].type': 'Pods' }, ['spec.metrics[0].pods']],
  ['hpa without scaleTargetRef', f.phpApacheHPA, { 'spec.scaleTargetRef': undefined }, ['spec.scaleTargetRef']],
  ['lease duration 0', f.nodeLease, { 'spec.leaseDurationSeconds': 0 }, ['spec.leaseDurationSeconds']],
  ['lease renew time not a time', f.nodeLease, { 'spec.renewTime': 'yesterday' }, ['spec.renewTime']],
  ['slice address type', f.exampleEndpointSlice, { addressType: 'IPX' }, ['addressType']],
  ['slice address not IPv4', f.exampleEndpointSlice, { 'endpoints[0].addresses[0]': '2001:db8::1' }, ['endpoints[0].addresses[0]']],
  ['slice FQDN not lower case', f.exampleEndpointSlice, { addressType: 'FQDN', 'endpoints[0].addresses[0]': 'Web.Example.com' }, ['endpoints[0].addresses[0]']],
  ['slice duplicate port names', f.exampleEndpointSlice, { 'ports[1]': { name: 'http', port: 81 } }, ['ports[1].name']],
  ['runtime class handler not a DNS label', f.wasmRuntimeClass, { handler: 'Wasm_1' }, ['handler']],
  ['runtime class without handler', f.wasmRuntimeClass, { handler: undefined }, ['handler']],
  ['configmap bad key', f.gameConfigMap, { 'data["a/b"]': 'x' }, ['data["a/b"]']],
];

describe('invalid manifests', () => {
  it.each(cases)('%s', (_name, make, edits, fields) => {
    const obj = make();
    for (const [p, v] of Object.entries(edits)) set(obj, p, v);
    expect(fieldsOf(admit(obj).causes)).toEqual([...fields].sort());
  });

  it('reports every problem at once, each with reason and message', () => {
    const obj = f.webPod();
    set(obj, 'spec.containers[0].image', undefined);
    set(obj, 'spec.containers[0].ports[0].containerPort', 0);
    set(obj, 'spec.volumes[2].name', 'config');
    const { causes } = admit(obj);
    expect(fieldsOf(causes)).toEqual(['spec.containers[0].image', 'spec.containers[0].ports[0].containerPort', 'spec.volumes[2].name']);
    expect(causes.find((c) => c.field === 'spec.volumes[2].name')).toMatchObject({ reason: 'FieldValueDuplicate' });
    expect(causes.find((c) => c.field === 'spec.containers[0].image')).toMatchObject({ reason: 'FieldValueRequired', message: 'Required value' });
  });

  it('names the allowed values of an enum', () => {
    const obj = f.webPod();
    set(obj, 'spec.restartPolicy', 'Sometimes');
    expect(admit(obj).causes).toEqual([
      { reason: 'FieldValueNotSupported', field: 'spec.restartPolicy', message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"' },
    ]);
  });
});

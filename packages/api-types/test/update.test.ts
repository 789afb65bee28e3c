// Updates: immutable fields are rejected with their path; allowed changes pass.
import { describe, expect, it } from 'vitest';
import * as f from './fixtures.js';
import { admit, fieldsOf, set } from './helpers.js';

type Make = () => ReturnType<typeof f.webPod>;
/** [description, manifest, edits before it was created, edits of the update, expected cause fields]. */
const cases: [string, Make, Record<string, unknown>, Record<string, unknown>, string[]][] = [
  ['deployment selector', f.nginxDeployment, {}, { 'spec.selector.matchLabels': { app: 'nginx', tier: 'web' }, 'spec.template.metadata.labels.tier': 'web' }, ['spec.selector']],
  ['deployment replicas', f.nginxDeployment, {}, { 'spec.replicas': 5 }, []],
  ['deployment image', f.nginxDeployment, {}, { 'spec.template.spec.containers[0].image': 'nginx:1.16.1' }, []],
  ['replicaset selector', f.frontendReplicaSet, {}, { 'spec.selector.matchLabels.app': 'guestbook', 'spec.template.metadata.labels.app': 'guestbook' }, ['spec.selector']],
  ['replicaset replicas', f.frontendReplicaSet, {}, { 'spec.replicas': 0 }, []],
  ['statefulset selector', f.webStatefulSet, {}, { 'spec.selector.matchLabels': { app: 'nginx', v: '2' }, 'spec.template.metadata.labels.v': '2' }, ['spec.selector']],
  ['statefulset serviceName', f.webStatefulSet, {}, { 'spec.serviceName': 'other' }, ['spec']],
  ['statefulset claim templates', f.webStatefulSet, {}, { 'spec.volumeClaimTemplates[0].spec.storageClassName': 'fast' }, ['spec']],
  ['statefulset replicas and template', f.webStatefulSet, {}, { 'spec.replicas': 5, 'spec.template.spec.containers[0].image': 'registry.k8s.io/nginx-slim:0.25' }, []],
  ['job selector', f.piJob, { 'metadata.uid': 'u-1' }, { 'spec.selector.matchLabels["batch.kubernetes.io/controller-uid"]': 'u-2' }, ['spec.selector', 'spec.template.metadata.labels']],
  ['job template', f.piJob, { 'metadata.uid': 'u-1' }, { 'spec.template.spec.containers[0].image': 'perl:5.36' }, ['spec.template']],
  ['job parallelism', f.piJob, { 'metadata.uid': 'u-1' }, { 'spec.parallelism': 3 }, []],
  ['pod image', f.webPod, {}, { 'spec.containers[0].image': 'nginx:1.27', 'spec.initContainers[0].image': 'busybox:1.37' }, []],
  ['pod command', f.webPod, {}, { 'spec.containers[0].command': ['sleep', '1'] }, ['spec']],
  ['pod restartPolicy', f.webPod, {}, { 'spec.restartPolicy': 'Never' }, ['spec']],
  ['pod nodeName (binding only)', f.webPod, {}, { 'spec.nodeName': 'node-1' }, ['spec']],
  ['pod new container', f.wasmPod, {}, { 'spec.containers[1]': { name: 'side', image: 'busybox:1.36' } }, ['spec']],
  ['pod active deadline set', f.webPod, {}, { 'spec.activeDeadlineSeconds': 60 }, []],
  ['pod active deadline shortened', f.webPod, { 'spec.activeDeadlineSeconds': 60 }, { 'spec.activeDeadlineSeconds': 30 }, []],
  ['pod active deadline extended', f.webPod, { 'spec.activeDeadlineSeconds': 60 }, { 'spec.activeDeadlineSeconds': 90 }, ['spec.activeDeadlineSeconds']],
  ['pod active deadline removed', f.webPod, { 'spec.activeDeadlineSeconds': 60 }, { 'spec.activeDeadlineSeconds': undefined }, ['spec.activeDeadlineSeconds']],
  ['pod toleration added', f.webPod, {}, { 'spec.tolerations[1]': { key: 'gpu', operator: 'Exists' } }, []],
  ['pod toleration removed', f.webPod, {}, { 'spec.tolerations': [] }, ['spec.tolerations']],
  ['pod toleration seconds shortened', f.webPod, {}, { 'spec.tolerations[0].tolerationSeconds': 60 }, []],
  ['pod grace period', f.webPod, {}, { 'spec.terminationGracePeriodSeconds': 5 }, []],
  ['service clusterIP once set', f.myService, { 'spec.clusterIP': '10.96.0.10' }, { 'spec.clusterIP': '10.96.0.11' }, ['spec.clusterIP']],
  ['service clusterIP allocated', f.myService, {}, { 'spec.clusterIP': '10.96.0.10' }, []],
  ['service turned ExternalName', f.myService, { 'spec.clusterIP': '10.96.0.10' }, { spec: { type: 'ExternalName', externalName: 'db.example.com' } }, []],
  ['service ports', f.myService, { 'spec.clusterIP': '10.96.0.10' }, { 'spec.ports[0].port': 8080 }, []],
  ['immutable secret data', f.opaqueSecret, { immutable: true }, { 'data.username': 'cm9vdA==' }, ['data']],
  ['immutable secret unset', f.opaqueSecret, { immutable: true }, { immutable: false }, ['immutable']],
  ['mutable secret data', f.opaqueSecret, {}, { 'data.username': 'cm9vdA==' }, []],
  ['secret type', f.opaqueSecret, {}, { type: 'kubernetes.io/basic-auth' }, ['type']],
  ['immutable configmap data', f.gameConfigMap, { immutable: true }, { 'data.player_initial_lives': '5' }, ['data']],
  ['mutable configmap data', f.gameConfigMap, {}, { 'data.player_initial_lives': '5' }, []],
  ['node pod CIDR', f.kiteNode, {}, { 'spec.podCIDR': '127.1.2.0/24', 'spec.podCIDRs': ['127.1.2.0/24'] }, ['spec.podCIDR', 'spec.podCIDRs']],
  ['node cordoned', f.kiteNode, {}, { 'spec.unschedulable': true }, []],
  ['runtime class handler', f.wasmRuntimeClass, {}, { handler: 'docker' }, ['handler']],
  ['claim grows', f.myClaim, {}, { 'spec.resources.requests.storage': '16Gi' }, []],
  ['claim shrinks', f.myClaim, {}, { 'spec.resources.requests.storage': '4Gi' }, ['spec.resources.requests.storage']],
  ['claim bound', f.myClaim, {}, { 'spec.volumeName': 'pv0003' }, []],
  ['claim access modes', f.myClaim, {}, { 'spec.accessModes': ['ReadWriteMany'] }, ['spec']],
  ['claim given a class later', f.myClaim, { 'spec.storageClassName': undefined }, { 'spec.storageClassName': 'fast' }, []],
  ['claim class changed', f.myClaim, {}, { 'spec.storageClassName': 'fast' }, ['spec']],
  ['volume source', f.nfsVolume, {}, { 'spec.nfs.server': '172.17.0.3' }, ['spec.persistentvolumesource']],
  ['volume capacity and claimRef', f.nfsVolume, {}, { 'spec.capacity.storage': '10Gi', 'spec.claimRef': { namespace: 'default', name: 'myclaim' } }, []],
  ['volume mode', f.nfsVolume, {}, { 'spec.volumeMode': 'Block' }, ['spec.volumeMode']],
  ['class provisioner', f.localPathClass, {}, { provisioner: 'example.com/nfs' }, ['provisioner']],
  ['class parameters', f.localPathClass, {}, { 'parameters.maxSize': '1Gi' }, ['parameters']],
  ['class reclaim policy', f.localPathClass, {}, { reclaimPolicy: 'Retain' }, ['reclaimPolicy']],
  ['class binding mode', f.localPathClass, {}, { volumeBindingMode: 'Immediate' }, ['volumeBindingMode']],
  ['class expansion and default annotation', f.localPathClass, {}, { allowVolumeExpansion: false, 'metadata.annotations': {} }, []],
];

describe('updates', () => {
  it.each(cases)('%s', (_name, make, stored, edits, fields) => {
    const raw = make();
    for (const [p, v] of Object.entries(stored)) set(raw, p, v);
    // Updates start from the stored object, which was defaulted on create.
    const old = admit(raw).obj;
    const next = structuredClone(old);
    for (const [p, v] of Object.entries(edits)) set(next, p, v);
    expect(fieldsOf(admit(next, old).causes)).toEqual([...fields].sort());
  });
});

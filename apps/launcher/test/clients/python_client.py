"""Drives a kite cluster with the official Python client, as its README shows, from a kubeconfig
path (argv[1]) and nothing else. Prints one JSON line with what each call returned."""
import json
import sys
import threading

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
apps = client.AppsV1Api()
ns = "default"
out = {}

out["listed"] = isinstance(v1.list_namespaced_pod(ns).items, list)

# Watch in the background while the writes below happen.
events = []
ready = threading.Event()


def follow():
    w = watch.Watch()
    rv = v1.list_namespaced_config_map(ns).metadata.resource_version
    ready.set()
    for ev in w.stream(v1.list_namespaced_config_map, ns, resource_version=rv, timeout_seconds=30):
        print("watch event:", ev["type"], ev["raw_object"].get("metadata", {}).get("name"), file=sys.stderr)
        if ev["object"].metadata.name == "py-cm":
            events.append(ev["type"])
            if ev["type"] == "DELETED":
                w.stop()


t = threading.Thread(target=follow)
t.start()
ready.wait()

body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-cm", labels={"app": "py"}), data={"a": "1"})
out["created"] = v1.create_namespaced_config_map(ns, body).metadata.name

cm = v1.read_namespaced_config_map("py-cm", ns)
cm.data = {"a": "2"}
out["replaced"] = v1.replace_namespaced_config_map("py-cm", ns, cm).data

out["patched_labels"] = v1.patch_namespaced_config_map("py-cm", ns, {"metadata": {"labels": {"patched": "yes"}}}).metadata.labels

dep = client.V1Deployment(
    metadata=client.V1ObjectMeta(name="py-dep"),
    spec=client.V1DeploymentSpec(
        replicas=0,
        selector=client.V1LabelSelector(match_labels={"app": "py-dep"}),
        template=client.V1PodTemplateSpec(
            metadata=client.V1ObjectMeta(labels={"app": "py-dep"}),
            spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="wasm://hello")]),
        ),
    ),
)
out["deployment_replicas"] = apps.create_namespaced_deployment(ns, dep).spec.replicas
apps.delete_namespaced_deployment("py-dep", ns)

v1.delete_namespaced_config_map("py-cm", ns)
try:
    v1.read_namespaced_config_map("py-cm", ns)
    out["deleted"] = 200
except ApiException as e:
    out["deleted"] = e.status

t.join(timeout=30)
print("watch thread alive after join:", t.is_alive(), file=sys.stderr)
out["watched"] = events
print(json.dumps(out))

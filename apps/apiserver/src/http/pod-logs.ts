// pods/NAME/log: finds the pod's node and streams the container log from that node's kubelet API
// (as the Kubernetes apiserver proxies to the kubelet), for `kubectl logs` with follow, tailLines,
// previous, timestamps and container. The kubelet API is HTTPS: the apiserver presents its kubelet
// client certificate and verifies the kubelet's serving certificate against
// `--kubelet-certificate-authority` when one is given (Kubernetes verifies nothing without it).
import { Readable } from 'node:stream';
import { Agent, fetch as undiciFetch } from 'undici';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NodeResource, type Node, type Pod } from '@kite/api-types';
import { ApiError, badRequest, failureStatus } from '@kite/apimachinery';
import type { RestStorage } from '../registry/rest.js';
import type { RequestScope } from '../registry/scope.js';

const DEFAULT_KUBELET_PORT = 10250;
const PASSED_PARAMS = ['follow', 'tailLines', 'previous', 'timestamps', 'sinceSeconds', 'limitBytes'];

export interface KubeletClientTls {
  cert: string;
  key: string;
  ca?: string;
}

export function podLogsHandler(rest: RestStorage, tls?: KubeletClientTls) {
  const dispatcher = new Agent({ connect: { ...(tls ? { cert: tls.cert, key: tls.key } : {}), ...(tls?.ca ? { ca: tls.ca } : {}), rejectUnauthorized: tls?.ca !== undefined } });
  return async (req: FastifyRequest, reply: FastifyReply, scope: RequestScope, name: string): Promise<void> => {
    const q = req.query as Record<string, string | undefined>;
    const pod = await rest.get<Pod>({ ...scope, subresource: undefined }, name);
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
    const container = q.container ?? (pod.spec?.containers?.length === 1 ? pod.spec.containers[0]?.name : undefined);
    if (!container) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
    if (!containers.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
    const node = await rest.get<Node>({ rt: NodeResource as never }, nodeName);
    const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? DEFAULT_KUBELET_PORT;
    if (!address) throw new ApiError(failureStatus(503, 'ServiceUnavailable', `node ${nodeName} has no InternalIP address`));
    const params = new URLSearchParams();
    for (const p of PASSED_PARAMS) if (q[p] !== undefined) params.set(p, q[p] ?? '');
    const url = `https://${address}:${port}/containerLogs/${encodeURIComponent(pod.metadata.namespace ?? '')}/${encodeURIComponent(name)}/${encodeURIComponent(container)}?${params}`;
    const ctrl = new AbortController();
    req.raw.on('close', () => ctrl.abort());
    let res: Awaited<ReturnType<typeof undiciFetch>>;
    try {
      res = await undiciFetch(url, { signal: ctrl.signal, dispatcher });
    } catch (err) {
      throw new ApiError(failureStatus(503, 'ServiceUnavailable', `Get "${url}": ${(err as Error).message}`));
    }
    if (!res.ok) {
      const text = await res.text();
      throw badRequest(text || `the kubelet answered ${res.status}`);
    }
    reply.code(200).type('text/plain');
    return reply.send(res.body ? Readable.fromWeb(res.body as never) : '');
  };
}

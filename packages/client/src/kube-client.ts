// KubeClient: the entry point every component uses to talk to the apiserver (they never touch
// Redis). It owns the HTTP transport and hands out a typed ResourceClient per kind.
//
// Contract:
// - `resource(rt)` returns a ResourceClient typed by the registry entry (`ResourceType<T>` from
//   @kite/api-types), or by an explicit type argument for a bare `ResourceInfo`.
// - `bindPod` POSTs a core/v1 Binding to `pods/NAME/binding`, as the scheduler does.
// - `podLogs` reads `pods/NAME/log` as text; with `follow: true` it resolves (once the server has
//   answered, so a 404 still throws) to an async iterable of text chunks that ends when the
//   container's log ends or `signal` aborts.
// - `raw` sends any request and returns the parsed JSON answer, or the text when it is not JSON.
// - Every non-2xx answer throws `ApiError` carrying the server's Status.
import type { Binding, KubeObject, ResourceType } from '@kite/api-types';
import { resourcePath, type QueryValue, type ResourceInfo } from './http/paths.js';
import { Transport, type TransportOptions } from './http/transport.js';
import { ResourceClient } from './resource-client.js';

export type KubeClientOptions = TransportOptions;

export interface PodLogOptions {
  container?: string;
  follow?: boolean;
  tailLines?: number;
  previous?: boolean;
  timestamps?: boolean;
  sinceSeconds?: number;
  limitBytes?: number;
  signal?: AbortSignal;
}

/** Where `bindPod` and `podLogs` send their requests: the core/v1 pods resource. */
const PODS: ResourceInfo = { group: '', version: 'v1', apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };

export class KubeClient {
  readonly server: string;
  /** Where and as whom this client connects, for code that must open its own connections. */
  readonly connection: Readonly<Pick<KubeClientOptions, 'server' | 'token' | 'tokenFile' | 'tls'>>;
  private readonly transport: Transport;

  constructor(opts: KubeClientOptions) {
    this.server = opts.server;
    this.connection = { server: opts.server, ...(opts.token ? { token: opts.token } : {}), ...(opts.tokenFile ? { tokenFile: opts.tokenFile } : {}), ...(opts.tls ? { tls: opts.tls } : {}) };
    this.transport = new Transport(opts);
  }

  resource<T extends KubeObject>(rt: ResourceType<T>): ResourceClient<T>;
  resource<T extends KubeObject = KubeObject>(rt: ResourceInfo): ResourceClient<T>;
  resource<T extends KubeObject>(rt: ResourceInfo): ResourceClient<T> {
    return new ResourceClient<T>({ transport: this.transport, resource: rt });
  }

  async bindPod(namespace: string, name: string, nodeName: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    const binding: Binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    const path = resourcePath(PODS, { namespace, name, subresource: 'binding' });
    await this.transport.json({ method: 'POST', path, body: binding, signal: opts.signal });
  }

  podLogs(namespace: string, name: string, opts: PodLogOptions & { follow: true }): Promise<AsyncIterable<string>>;
  podLogs(namespace: string, name: string, opts?: PodLogOptions & { follow?: false }): Promise<string>;
  async podLogs(namespace: string, name: string, opts: PodLogOptions = {}): Promise<string | AsyncIterable<string>> {
    const query: Record<string, QueryValue> = {
      container: opts.container,
      follow: opts.follow || undefined,
      tailLines: opts.tailLines,
      previous: opts.previous || undefined,
      timestamps: opts.timestamps || undefined,
      sinceSeconds: opts.sinceSeconds,
      limitBytes: opts.limitBytes,
    };
    const path = resourcePath(PODS, { namespace, name, subresource: 'log' });
    const req = { method: 'GET', path, query, accept: 'text/plain, */*', signal: opts.signal };
    if (!opts.follow) return this.transport.text(req);
    const res = await this.transport.send({ ...req, timeoutMs: 0 });
    return textChunks(res, opts.signal);
  }

  /** Any request; `path` may carry its own query string. Returns parsed JSON, or text. */
  async raw(method: string, path: string, body?: unknown, headers?: Readonly<Record<string, string>>): Promise<unknown> {
    const res = await this.transport.send({ method, path, body, headers, accept: headers?.accept ?? 'application/json, */*' });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return /\bjson\b/.test(type) && text !== '' ? (JSON.parse(text) as unknown) : text;
  }
}

/** The body as decoded text chunks; ends quietly when `signal` aborts. */
async function* textChunks(res: Response, signal: AbortSignal | undefined): AsyncGenerator<string> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body) {
      const text = decoder.decode(chunk, { stream: true });
      if (text !== '') yield text;
    }
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
}

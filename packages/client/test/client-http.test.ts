// The client's HTTP behaviour against a scripted in-process HTTP server on 127.0.0.1: request
// shapes (paths, methods, content types, headers), error mapping, and watch streaming over real
// sockets with chunks split at awkward places. The real apiserver is covered by integration tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isApiError } from '@kite/apimachinery';
import { KubeClient } from '../src/kube-client.js';
import { TransportError } from '../src/http/transport.js';
import type { ResourceInfo } from '../src/http/paths.js';
import type { WatchEvent } from '../src/watch/watch.js';
import type { TestObj } from './helpers.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
let seen: Seen[];
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (b: Buffer) => (body += b.toString()));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      handler(s, res);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen = [];
  handler = (_req, res) => json(res, 200, {});
});

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const things: ResourceInfo = { group: 'example.io', version: 'v1', apiVersion: 'example.io/v1', kind: 'Thing', plural: 'things', namespaced: true, subresources: { status: true } };
const scaled: ResourceInfo = { ...things, plural: 'scaled', subresources: { status: true, scale: {} } };
const nodes: ResourceInfo = { group: '', version: 'v1', apiVersion: 'v1', kind: 'Node', plural: 'nodes', namespaced: false };
const thing = (name: string, ns = 'ns', rv = '1'): TestObj => ({ apiVersion: 'example.io/v1', kind: 'Thing', metadata: { name, namespace: ns, resourceVersion: rv } });
const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, message, code });

function client(opts: { token?: string; timeoutMs?: number } = {}): KubeClient {
  return new KubeClient({ server: `${base}/`, userAgent: 'test-agent/1', ...opts });
}

describe('ResourceClient requests', () => {
  const c = () => client().resource<TestObj>(things);
  it.each([
    { name: 'get', call: () => c().get('a', { namespace: 'ns' }), method: 'GET', url: '/apis/example.io/v1/namespaces/ns/things/a' },
    {
      name: 'list with selectors and paging',
      call: () => c().list({ namespace: 'ns', labelSelector: 'app=web', fieldSelector: 'metadata.name=a', limit: 5, continue: 'tok' }),
      method: 'GET',
      url: '/apis/example.io/v1/namespaces/ns/things?labelSelector=app%3Dweb&fieldSelector=metadata.name%3Da&limit=5&continue=tok',
    },
    { name: 'list across namespaces', call: () => c().list(), method: 'GET', url: '/apis/example.io/v1/things' },
    { name: 'create uses the object namespace', call: () => c().create(thing('a', 'ns2')), method: 'POST', url: '/apis/example.io/v1/namespaces/ns2/things' },
    {
      name: 'create with dryRun and fieldManager',
      call: () => c().create(thing('a'), { dryRun: true, fieldManager: 'me' }),
      method: 'POST',
      url: '/apis/example.io/v1/namespaces/ns/things?dryRun=All&fieldManager=me',
    },
    { name: 'update', call: () => c().update(thing('a')), method: 'PUT', url: '/apis/example.io/v1/namespaces/ns/things/a' },
    { name: 'updateStatus', call: () => c().updateStatus(thing('a')), method: 'PUT', url: '/apis/example.io/v1/namespaces/ns/things/a/status' },
    {
      name: 'merge patch',
      call: () => c().patch('a', { spec: { value: 1 } }, { type: 'merge', namespace: 'ns' }),
      method: 'PATCH',
      url: '/apis/example.io/v1/namespaces/ns/things/a',
      contentType: 'application/merge-patch+json',
    },
    {
      name: 'json patch of status',
      call: () => c().patch('a', [{ op: 'add', path: '/status', value: {} }], { type: 'json', namespace: 'ns', subresource: 'status' }),
      method: 'PATCH',
      url: '/apis/example.io/v1/namespaces/ns/things/a/status',
      contentType: 'application/json-patch+json',
    },
    {
      name: 'strategic merge patch',
      call: () => c().patch('a', {}, { type: 'strategic', namespace: 'ns' }),
      method: 'PATCH',
      url: '/apis/example.io/v1/namespaces/ns/things/a',
      contentType: 'application/strategic-merge-patch+json',
    },
    {
      name: 'server-side apply',
      call: () => c().patch('a', thing('a'), { type: 'apply', namespace: 'ns', fieldManager: 'kubectl', force: true }),
      method: 'PATCH',
      url: '/apis/example.io/v1/namespaces/ns/things/a?fieldManager=kubectl&force=true',
      contentType: 'application/apply-patch+yaml',
    },
    {
      name: 'delete with options',
      call: () => c().delete('a', { namespace: 'ns', gracePeriodSeconds: 0, propagationPolicy: 'Foreground', preconditions: { uid: 'u1' } }),
      method: 'DELETE',
      url: '/apis/example.io/v1/namespaces/ns/things/a',
      body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Foreground', preconditions: { uid: 'u1' } },
    },
    { name: 'cluster-scoped get', call: () => client().resource(nodes).get('n1'), method: 'GET', url: '/api/v1/nodes/n1' },
    { name: 'getScale', call: () => client().resource(scaled).getScale('a', { namespace: 'ns' }), method: 'GET', url: '/apis/example.io/v1/namespaces/ns/scaled/a/scale' },
    {
      name: 'patchScale',
      call: () => client().resource(scaled).patchScale('a', { spec: { replicas: 3 } }, { type: 'merge', namespace: 'ns' }),
      method: 'PATCH',
      url: '/apis/example.io/v1/namespaces/ns/scaled/a/scale',
      contentType: 'application/merge-patch+json',
    },
    { name: 'bindPod', call: () => client().bindPod('ns', 'p', 'node-1'), method: 'POST', url: '/api/v1/namespaces/ns/pods/p/binding', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'ns' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } } },
    { name: 'podLogs', call: () => client().podLogs('ns', 'p', { container: 'c', tailLines: 10 }), method: 'GET', url: '/api/v1/namespaces/ns/pods/p/log?container=c&tailLines=10' },
    { name: 'raw', call: () => client().raw('GET', '/version'), method: 'GET', url: '/version' },
  ])('$name', async ({ call, method, url, contentType, body }) => {
    await call();
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect([req?.method, req?.url]).toEqual([method, url]);
    expect(req?.headers['user-agent']).toBe('test-agent/1');
    if (contentType) expect(req?.headers['content-type']).toBe(contentType);
    if (body) expect(JSON.parse(req?.body ?? '')).toEqual(body);
  });

  it.each([
    { name: 'get of a namespaced kind without namespace', call: () => c().get('a') },
    { name: 'create without any namespace', call: () => c().create({ ...thing('a'), metadata: { name: 'a' } }) },
    { name: 'updateStatus without a status subresource', call: () => client().resource(nodes).updateStatus({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } }) },
    { name: 'getScale without a scale subresource', call: () => c().getScale('a', { namespace: 'ns' }) },
    { name: 'apply without fieldManager', call: () => c().patch('a', {}, { type: 'apply', namespace: 'ns' }) },
  ])('refuses $name before sending anything', async ({ call }) => {
    await expect(call()).rejects.toThrow();
    expect(seen).toHaveLength(0);
  });

  it('keeps connections alive across requests', async () => {
    const c = client();
    await c.raw('GET', '/warm-up');
    const before = connections;
    for (let i = 0; i < 5; i++) await c.resource(nodes).get(`n${i}`);
    expect(connections - before).toBe(0);
  });

  it('sends a bearer token when configured', async () => {
    await client({ token: 's3cret' }).resource(nodes).get('n1');
    expect(seen[0]?.headers.authorization).toBe('Bearer s3cret');
  });

  it('delete returns the Status when the object is gone, the object when it remains', async () => {
    handler = (_req, res) => json(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 });
    expect(await c().delete('a', { namespace: 'ns' })).toMatchObject({ kind: 'Status', status: 'Success' });
    handler = (_req, res) => json(res, 200, { ...thing('a'), metadata: { ...thing('a').metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } });
    expect(await c().delete('a', { namespace: 'ns' })).toMatchObject({ kind: 'Thing', metadata: { deletionTimestamp: '2025-01-01T00:00:00Z' } });
  });

  it('listAll follows continue tokens and keeps the first revision', async () => {
    handler = (req, res) => {
      const token = new URL(req.url, base).searchParams.get('continue');
      const page = token === null ? 0 : Number(token);
      const meta = page === 0 ? { resourceVersion: '10', continue: '1' } : page === 1 ? { resourceVersion: '10', continue: '2' } : { resourceVersion: '10' };
      json(res, 200, { kind: 'ThingList', apiVersion: 'example.io/v1', metadata: meta, items: [thing(`t${page}`)] });
    };
    const list = await c().listAll({ namespace: 'ns', limit: 1 });
    expect(list.items.map((i) => i.metadata.name)).toEqual(['t0', 't1', 't2']);
    expect(list.metadata).toEqual({ resourceVersion: '10' });
    expect(seen.map((s) => s.url)).toEqual([
      '/apis/example.io/v1/namespaces/ns/things?limit=1',
      '/apis/example.io/v1/namespaces/ns/things?limit=1&continue=1',
      '/apis/example.io/v1/namespaces/ns/things?limit=1&continue=2',
    ]);
  });
});

describe('errors', () => {
  it.each([
    { name: 'a Status body', code: 404, body: JSON.stringify(status(404, 'NotFound', 'things "a" not found')), reason: 'NotFound', message: 'things "a" not found' },
    { name: 'a Status with Conflict', code: 409, body: JSON.stringify(status(409, 'Conflict', 'the object has been modified')), reason: 'Conflict', message: 'the object has been modified' },
    { name: 'an HTML page', code: 502, body: '<html>bad gateway</html>', reason: '', message: '<html>bad gateway</html>' },
    { name: 'an empty body', code: 503, body: '', reason: 'ServiceUnavailable', message: 'the server responded with HTTP 503 Service Unavailable' },
    { name: 'JSON that is not a Status', code: 400, body: '{"error":"x"}', reason: 'BadRequest', message: '{"error":"x"}' },
  ])('maps $name to an ApiError', async ({ code, body, reason, message }) => {
    handler = (_req, res) => {
      res.writeHead(code, { 'content-type': 'text/plain' });
      res.end(body);
    };
    const err: unknown = await client().resource<TestObj>(things).get('a', { namespace: 'ns' }).catch((e: unknown) => e);
    expect(isApiError(err)).toBe(true);
    if (!isApiError(err)) return;
    expect([err.code, err.reason, err.message]).toEqual([code, reason, message]);
  });

  it('a refused connection is a TransportError', async () => {
    const c = new KubeClient({ server: 'http://127.0.0.1:1' });
    await expect(c.raw('GET', '/version')).rejects.toThrow(TransportError);
  });

  it('timeoutMs bounds a request', async () => {
    handler = () => {}; // never answers
    await expect(client({ timeoutMs: 100 }).raw('GET', '/slow')).rejects.toThrow(TransportError);
  });
});

describe('watch over HTTP', () => {
  const events = [
    { type: 'ADDED', object: thing('a', 'ns', '2') },
    { type: 'MODIFIED', object: { ...thing('a', 'ns', '3'), spec: { value: 'ünïcode ✓' } } },
    { type: 'BOOKMARK', object: { kind: 'Thing', apiVersion: 'example.io/v1', metadata: { resourceVersion: '4' } } },
    { type: 'DELETED', object: thing('a', 'ns', '5') },
  ];

  /** Writes the events as NDJSON in chunks of `size` bytes, with a pause between chunks. */
  function streamIn(size: number, tail?: string): Handler {
    return (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join('') + (tail ?? ''));
      let at = 0;
      const next = () => {
        if (at >= bytes.length) return res.end();
        res.write(bytes.subarray(at, at + size));
        at += size;
        setImmediate(next);
      };
      next();
    };
  }

  async function collect(it: AsyncIterable<WatchEvent<TestObj>>): Promise<string[]> {
    const out: string[] = [];
    for await (const e of it) out.push(`${e.type}@${e.object.metadata.resourceVersion}`);
    return out;
  }

  it.each([{ size: 1 }, { size: 7 }, { size: 64 }, { size: 100_000 }])('decodes events written in $size-byte chunks', async ({ size }) => {
    handler = streamIn(size);
    const got = await collect(client().resource<TestObj>(things).watch({ namespace: 'ns', resourceVersion: '1' }));
    expect(got).toEqual(['ADDED@2', 'MODIFIED@3', 'BOOKMARK@4', 'DELETED@5']);
    expect(seen[0]?.url).toBe('/apis/example.io/v1/namespaces/ns/things?watch=true&resourceVersion=1&allowWatchBookmarks=true');
  });

  it.each([
    { name: '410 HTTP status', handler: ((_req, res) => json(res, 410, status(410, 'Expired', 'too old resource version: 1 (50)'))) as Handler },
    { name: 'ERROR event', handler: streamIn(9, `${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', 'too old resource version: 1 (50)') })}\n`) },
  ])('throws ApiError 410 for a $name', async ({ handler: h }) => {
    handler = h;
    const got: string[] = [];
    const err = await (async () => {
      for await (const e of client().resource<TestObj>(things).watch({ resourceVersion: '1' })) got.push(e.type);
    })().catch((e: unknown) => e);
    expect(isApiError(err) && err.code).toBe(410);
  });

  it('a connection broken mid-stream throws TransportError after the events received', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`${JSON.stringify(events[0])}\n{"type":"MODI`);
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const got: string[] = [];
    const err = await (async () => {
      for await (const e of client().resource<TestObj>(things).watch({})) got.push(e.type);
    })().catch((e: unknown) => e);
    expect(got).toEqual(['ADDED']);
    expect(err).toBeInstanceOf(TransportError);
  });

  it('ends quietly when the caller aborts, and breaking out closes the connection', async () => {
    let closed = 0;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`${JSON.stringify(events[0])}\n`);
      res.on('close', () => closed++);
    };
    const ac = new AbortController();
    const got: string[] = [];
    for await (const e of client().resource<TestObj>(things).watch({ signal: ac.signal })) {
      got.push(e.type);
      ac.abort();
    }
    for await (const e of client().resource<TestObj>(things).watch({})) {
      got.push(e.type);
      break;
    }
    expect(got).toEqual(['ADDED', 'ADDED']);
    await expect.poll(() => closed, { timeout: 2000 }).toBe(2);
  });

  it('follows pod logs as a stream of text', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('line 1\n');
      setTimeout(() => res.end('line 2 ✓\n'), 10);
    };
    const stream = await client().podLogs('ns', 'p', { follow: true });
    let text = '';
    for await (const chunk of stream) text += chunk;
    expect(text).toBe('line 1\nline 2 ✓\n');
    expect(seen[0]?.url).toBe('/api/v1/namespaces/ns/pods/p/log?follow=true');
  });
});

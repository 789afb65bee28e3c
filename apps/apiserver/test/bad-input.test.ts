// The bad-input matrix: each request is answered with a Kubernetes Status carrying the right code
// and reason, nothing is stored, and the server stays healthy afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let t: TestServer;
const MAX_BYTES = 64 * 1024;
beforeAll(async () => {
  t = await startTestServer({ maxRequestBytes: MAX_BYTES });
  await t.api('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'existing' }, data: { a: '1' } });
});
afterAll(async () => t.stop());

const cms = '/api/v1/namespaces/default/configmaps';
const cm = (metadata: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata, ...extra });

interface Case {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
  code: number;
  reason: string;
  /** Field paths that details.causes must name. */
  fields?: string[];
}

const cases: Case[] = [
  { name: 'malformed JSON', method: 'POST', path: cms, body: '{"apiVersion": "v1", "kind": ', code: 400, reason: 'BadRequest' },
  { name: 'body that is not an object', method: 'POST', path: cms, body: '[1,2]', code: 400, reason: 'BadRequest' },
  { name: 'wrong kind for the path', method: 'POST', path: cms, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }, code: 400, reason: 'BadRequest' },
  { name: 'wrong apiVersion for the path', method: 'POST', path: cms, body: { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }, code: 400, reason: 'BadRequest' },
  { name: 'name too long', method: 'POST', path: cms, body: cm({ name: 'a'.repeat(254) }), code: 422, reason: 'Invalid', fields: ['metadata.name'] },
  { name: 'name with bad characters', method: 'POST', path: cms, body: cm({ name: 'Bad_Name' }), code: 422, reason: 'Invalid', fields: ['metadata.name'] },
  { name: 'no name', method: 'POST', path: cms, body: cm({}), code: 422, reason: 'Invalid', fields: ['metadata.name'] },
  { name: 'bad label key', method: 'POST', path: cms, body: cm({ name: 'x', labels: { '-bad': 'v' } }), code: 422, reason: 'Invalid', fields: ['metadata.labels'] },
  { name: 'label key prefix not a DNS subdomain', method: 'POST', path: cms, body: cm({ name: 'x', labels: { 'Ex_ample.com/k': 'v' } }), code: 422, reason: 'Invalid', fields: ['metadata.labels'] },
  { name: 'label value too long', method: 'POST', path: cms, body: cm({ name: 'x', labels: { k: 'v'.repeat(254) } }), code: 422, reason: 'Invalid', fields: ['metadata.labels'] },
  { name: 'bad label value', method: 'POST', path: cms, body: cm({ name: 'x', labels: { k: 'a b' } }), code: 422, reason: 'Invalid', fields: ['metadata.labels'] },
  { name: 'several bad fields at once', method: 'POST', path: cms, body: cm({ name: 'Bad', labels: { k: '-' } }, { data: { 'bad key!': 'v' } }), code: 422, reason: 'Invalid', fields: ['metadata.name', 'metadata.labels', 'data["bad key!"]'] },
  { name: 'wrong type of a field', method: 'POST', path: cms, body: cm({ name: 'x' }, { data: { a: 5 } }), code: 422, reason: 'Invalid', fields: ['data.a'] },
  { name: 'namespace mismatch between path and body', method: 'POST', path: cms, body: cm({ name: 'x', namespace: 'other' }), code: 400, reason: 'BadRequest' },
  { name: 'namespace that does not exist', method: 'POST', path: '/api/v1/namespaces/nope/configmaps', body: cm({ name: 'x' }), code: 404, reason: 'NotFound' },
  { name: 'body over the limit', method: 'POST', path: cms, body: cm({ name: 'big' }, { data: { a: 'x'.repeat(MAX_BYTES + 1) } }), code: 413, reason: 'RequestEntityTooLarge' },
  { name: 'unsupported content type', method: 'POST', path: cms, body: '{}', contentType: 'text/plain', code: 415, reason: 'UnsupportedMediaType' },
  { name: 'unsupported patch type', method: 'PATCH', path: `${cms}/existing`, body: '{}', contentType: 'application/json', code: 415, reason: 'UnsupportedMediaType' },
  { name: 'JSON patch that does not apply', method: 'PATCH', path: `${cms}/existing`, body: [{ op: 'replace', path: '/data/missing/deep', value: 1 }], contentType: 'application/json-patch+json', code: 422, reason: 'Invalid' },
  { name: 'JSON patch whose test fails', method: 'PATCH', path: `${cms}/existing`, body: [{ op: 'test', path: '/data/a', value: '2' }], contentType: 'application/json-patch+json', code: 422, reason: 'Invalid' },
  { name: 'JSON patch that is not a list', method: 'PATCH', path: `${cms}/existing`, body: { op: 'add' }, contentType: 'application/json-patch+json', code: 400, reason: 'BadRequest' },
  { name: 'merge patch making the object invalid', method: 'PATCH', path: `${cms}/existing`, body: { metadata: { labels: { '-x': 'y' } } }, contentType: 'application/merge-patch+json', code: 422, reason: 'Invalid', fields: ['metadata.labels'] },
  { name: 'patch renaming the object', method: 'PATCH', path: `${cms}/existing`, body: { metadata: { name: 'other' } }, contentType: 'application/merge-patch+json', code: 400, reason: 'BadRequest' },
  { name: 'update with a different name than the path', method: 'PUT', path: `${cms}/existing`, body: cm({ name: 'other' }), code: 400, reason: 'BadRequest' },
  { name: 'unknown resource', method: 'GET', path: '/api/v1/namespaces/default/widgets', code: 404, reason: 'NotFound' },
  { name: 'unknown group', method: 'GET', path: '/apis/example.com/v1/widgets', code: 404, reason: 'NotFound' },
  { name: 'bad label selector', method: 'GET', path: `${cms}?labelSelector=${encodeURIComponent('a in (b')}`, code: 400, reason: 'BadRequest' },
  { name: 'unsupported field selector', method: 'GET', path: `${cms}?fieldSelector=spec.nope%3Dx`, code: 400, reason: 'BadRequest' },
  { name: 'bad limit', method: 'GET', path: `${cms}?limit=-1`, code: 400, reason: 'BadRequest' },
  { name: 'bad continue token', method: 'GET', path: `${cms}?limit=1&continue=garbage`, code: 400, reason: 'BadRequest' },
  { name: 'watch from a non-numeric resourceVersion', method: 'GET', path: `${cms}?watch=true&resourceVersion=abc`, code: 400, reason: 'BadRequest' },
  { name: 'delete of a missing object', method: 'DELETE', path: `${cms}/missing`, code: 404, reason: 'NotFound' },
  { name: 'bad propagationPolicy', method: 'DELETE', path: `${cms}/existing?propagationPolicy=Sometimes`, code: 400, reason: 'BadRequest' },
  { name: 'method not allowed', method: 'PUT', path: cms, body: cm({ name: 'x' }), code: 405, reason: 'MethodNotAllowed' },
];

describe('bad input', () => {
  it.each(cases)('$name → $code $reason', async (c) => {
    const before = await t.api<{ items: unknown[] }>('GET', cms);
    const res = await t.api<{ kind: string; status: string; reason: string; code: number; message: string; details?: { causes?: Array<{ field: string }> } }>(
      c.method,
      c.path,
      c.body,
      c.contentType,
    );
    expect(res.status, res.text).toBe(c.code);
    expect(res.body.kind).toBe('Status');
    expect(res.body.status).toBe('Failure');
    expect(res.body.reason).toBe(c.reason);
    expect(res.body.code).toBe(c.code);
    expect(res.body.message).not.toMatch(/\bat .*\.(js|ts):\d+/); // never a stack trace
    for (const f of c.fields ?? []) expect(res.body.details?.causes?.map((x) => x.field)).toContain(f);
    const after = await t.api<{ items: unknown[] }>('GET', cms);
    expect(after.body.items).toEqual(before.body.items); // nothing stored, nothing changed
    expect((await t.api('GET', '/readyz')).status).toBe(200);
  });
});

// The audit filter (k8s.io/apiserver/pkg/endpoints/filters/audit.go). It runs after
// authentication, so the policy sees who is asking, and before impersonation and authorization,
// so refused requests are audited too. For each request the policy gives a level:
// - None: nothing is recorded;
// - Metadata: who, what, when, from where, and the response code;
// - Request: also the request body (the object sent);
// - RequestResponse: also the response body.
// Events are written at RequestReceived, at ResponseStarted for long-running requests (watches,
// followed logs), and at ResponseComplete, unless the policy omits the stage. Requests whose
// credentials fail are audited by `failedAuthentication`, as WithFailedAuthenticationAudit does.
// Every audited request's response carries the `Audit-Id` header.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditBackend } from '../audit/backend.js';
import { microNow, withoutManagedFields, type AuditEvent, type AuditUser, type ResponseStatus } from '../audit/event.js';
import { evaluatePolicy, type AuditDecision, type Policy, type Stage } from '../audit/policy.js';
import { requestInfo, type RequestInfo } from '../auth/request-info.js';
import type { UserInfo } from '../auth/types.js';
import { attributesFor } from './authorization.js';
import { contextOf } from './context.js';

interface AuditState {
  event: AuditEvent;
  decision: AuditDecision;
  done: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    kiteAudit?: AuditState;
  }
}

export interface AuditOptions {
  policy: Policy;
  backend: AuditBackend;
}

function auditUser(u: UserInfo): AuditUser {
  return { username: u.username, ...(u.uid ? { uid: u.uid } : {}), ...(u.groups.length > 0 ? { groups: u.groups } : {}), ...(u.extra ? { extra: u.extra } : {}) };
}

function objectRef(info: RequestInfo): AuditEvent['objectRef'] {
  if (!info.isResourceRequest) return undefined;
  return {
    resource: info.resource,
    ...(info.namespace ? { namespace: info.namespace } : {}),
    ...(info.name ? { name: info.name } : {}),
    ...(info.apiGroup ? { apiGroup: info.apiGroup } : {}),
    apiVersion: info.apiVersion,
    ...(info.subresource ? { subresource: info.subresource } : {}),
  };
}

function sourceIPs(req: FastifyRequest): string[] {
  const forwarded = req.headers['x-forwarded-for'];
  const list = typeof forwarded === 'string' ? forwarded.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const remote = req.raw.socket.remoteAddress;
  if (remote && !list.includes(remote)) list.push(remote);
  return list;
}

function newEvent(req: FastifyRequest, info: RequestInfo, user: AuditUser, decision: AuditDecision, auditID: string): AuditEvent {
  const now = microNow();
  const ua = req.headers['user-agent'];
  const ref = objectRef(info);
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: decision.level as AuditEvent['level'],
    auditID,
    stage: 'RequestReceived',
    requestURI: req.url,
    verb: info.verb,
    user,
    sourceIPs: sourceIPs(req),
    ...(ua ? { userAgent: ua } : {}),
    ...(ref ? { objectRef: ref } : {}),
    requestReceivedTimestamp: now,
    stageTimestamp: now,
  };
}

function auditIdOf(req: FastifyRequest): string {
  const given = req.headers['audit-id'];
  return typeof given === 'string' && given !== '' ? given : randomUUID();
}

function emit(backend: AuditBackend, state: AuditState, stage: Stage): void {
  if (state.decision.omitStages.has(stage)) return;
  backend.write({ ...state.event, stage, stageTimestamp: microNow() });
}

function parseJson(payload: unknown): unknown {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
  if (text === undefined || text === '' || (text[0] !== '{' && text[0] !== '[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function responseStatus(code: number, body: unknown): ResponseStatus {
  const status: ResponseStatus = { metadata: {}, code };
  const s = body as { kind?: string; status?: string; message?: string; reason?: string; details?: unknown } | undefined;
  if (code >= 400 && s?.kind === 'Status') {
    if (s.status) status.status = s.status;
    if (s.message) status.message = s.message;
    if (s.reason) status.reason = s.reason;
    if (s.details) status.details = s.details;
  }
  return status;
}

const isLongRunning = (req: FastifyRequest, info: RequestInfo) =>
  info.verb === 'watch' || (info.subresource === 'log' && /[?&]follow=(true|1)/.test(req.url));

/** The onRequest link after authentication: decides the level and records the request. */
export function auditFilter(opts: AuditOptions) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const ctx = contextOf(req);
    const decision = evaluatePolicy(opts.policy, attributesFor(ctx.info, ctx.user));
    if (decision.level === 'None') return;
    const auditID = auditIdOf(req);
    // On the raw response, so hijacked replies (watches) carry it too.
    reply.raw.setHeader('Audit-Id', auditID);
    const state: AuditState = { event: newEvent(req, ctx.info, auditUser(ctx.user), decision, auditID), decision, done: false };
    req.kiteAudit = state;
    emit(opts.backend, state, 'RequestReceived');
    const res = reply.raw;
    if (isLongRunning(req, ctx.info)) {
      // Headers of a watch go out long before it ends: that moment is ResponseStarted.
      const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => typeof res;
      res.writeHead = ((...args: unknown[]) => {
        const out = writeHead(...args);
        state.event.responseStatus ??= responseStatus(res.statusCode, undefined);
        emit(opts.backend, state, 'ResponseStarted');
        return out;
      }) as typeof res.writeHead;
    }
    const complete = () => {
      if (state.done) return;
      state.done = true;
      const final = req.kite ?? ctx;
      if (final.impersonator) {
        state.event.user = auditUser(final.impersonator);
        state.event.impersonatedUser = auditUser(final.user);
      }
      if (final.annotations) state.event.annotations = { ...final.annotations };
      if (!state.event.responseStatus || state.event.responseStatus.code !== res.statusCode) state.event.responseStatus = responseStatus(res.statusCode, undefined);
      emit(opts.backend, state, 'ResponseComplete');
    };
    res.once('finish', complete);
    res.once('close', complete);
  };
}

/** preHandler: at Request level and above, the body sent (JSON; protobuf bodies are not decoded). */
export async function auditRequestBody(req: FastifyRequest): Promise<void> {
  const state = req.kiteAudit;
  if (!state || state.decision.level === 'Metadata') return;
  const body = parseJson(req.body);
  if (body === undefined) return;
  state.event.requestObject = state.decision.omitManagedFields ? withoutManagedFields(body) : body;
  const meta = (body as { metadata?: { name?: string; namespace?: string } }).metadata;
  const ref = state.event.objectRef;
  if (ref && meta) {
    if (!ref.name && meta.name) ref.name = meta.name;
    if (!ref.namespace && meta.namespace) ref.namespace = meta.namespace;
  }
}

/** onSend: the response's status (with a failure's message) and, at RequestResponse, its body. */
export async function auditResponseBody(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const state = req.kiteAudit;
  if (!state) return payload;
  const code = reply.statusCode;
  const wantBody = state.decision.level === 'RequestResponse';
  const type = String(reply.getHeader('content-type') ?? '');
  const body = (wantBody || code >= 400) && type.includes('json') ? parseJson(payload) : undefined;
  state.event.responseStatus = responseStatus(code, body);
  if (wantBody && body !== undefined) state.event.responseObject = state.decision.omitManagedFields ? withoutManagedFields(body) : body;
  return payload;
}

/** The failed-authentication handler's audit (WithFailedAuthenticationAudit): a 401, no user. */
export function failedAuthenticationAudit(opts: AuditOptions) {
  return (req: FastifyRequest, message: string): void => {
    const info = requestInfo(req.method, req.url);
    const user: UserInfo = { username: '', groups: [] };
    const decision = evaluatePolicy(opts.policy, attributesFor(info, user));
    if (decision.level === 'None') return;
    const state: AuditState = { event: newEvent(req, info, { username: '' }, decision, auditIdOf(req)), decision, done: true };
    state.event.responseStatus = { metadata: {}, status: 'Failure', message, reason: 'Unauthorized', code: 401 };
    emit(opts.backend, state, 'ResponseStarted');
  };
}

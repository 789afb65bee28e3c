// What the filters learn about a request and hand down the chain: who sent it (after
// impersonation, the user it acts as), who really sent it, and Kubernetes' RequestInfo.
import type { FastifyRequest } from 'fastify';
import type { RequestInfo } from '../auth/request-info.js';
import type { UserInfo } from '../auth/types.js';

export interface RequestContext {
  info: RequestInfo;
  /** The user the request acts as (the impersonated user, when impersonating). */
  user: UserInfo;
  /** The authenticated user, when it impersonates someone else. */
  impersonator?: UserInfo;
  /** Which authenticator recognised the credentials; `anonymous` when none did. */
  method: string;
  /** Audit annotations the filters add (authorization.k8s.io/decision and /reason). */
  annotations?: Record<string, string>;
}

declare module 'fastify' {
  interface FastifyRequest {
    kite?: RequestContext;
  }
}

/** The request's context; filters have set it before any handler runs. */
export function contextOf(req: FastifyRequest): RequestContext {
  if (!req.kite) throw new Error('request context missing: the authentication filter did not run');
  return req.kite;
}

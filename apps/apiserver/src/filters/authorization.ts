// The authorization filter (k8s.io/apiserver/pkg/endpoints/filters/authorization.go): builds the
// request's Attributes from its RequestInfo and user, asks the authorizer chain, and answers 403
// Forbidden with Kubernetes' wording unless some authorizer allows it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { failureStatus } from '@kite/apimachinery';
import { forbiddenMessage } from '../auth/rbac/forbidden-message.js';
import type { RequestInfo } from '../auth/request-info.js';
import type { Attributes, Authorizer, UserInfo } from '../auth/types.js';
import { contextOf } from './context.js';

export function attributesFor(info: RequestInfo, user: UserInfo): Attributes {
  if (!info.isResourceRequest) return { resourceRequest: false, user, verb: info.verb, path: info.path };
  return {
    resourceRequest: true,
    user,
    verb: info.verb,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    namespace: info.namespace,
    name: info.name,
  };
}

export function forbiddenStatus(attrs: Attributes, reason: string | undefined) {
  const status = failureStatus(403, 'Forbidden', forbiddenMessage(attrs, reason));
  if (attrs.resourceRequest) {
    status.details = { kind: attrs.resource, ...(attrs.apiGroup ? { group: attrs.apiGroup } : {}), ...(attrs.name ? { name: attrs.name } : {}) };
  }
  return status;
}

export function authorizationFilter(authorizer: Authorizer) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const ctx = contextOf(req);
    const attrs = attributesFor(ctx.info, ctx.user);
    const d = await authorizer.authorize(attrs);
    ctx.annotations = { ...ctx.annotations, 'authorization.k8s.io/decision': d.decision === 'allow' ? 'allow' : 'forbid', 'authorization.k8s.io/reason': d.reason ?? '' };
    if (d.decision === 'allow') return undefined;
    return reply.code(403).type('application/json').send(JSON.stringify(forbiddenStatus(attrs, d.reason)));
  };
}

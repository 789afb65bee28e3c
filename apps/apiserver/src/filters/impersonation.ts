// The impersonation filter (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go): with
// `Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid` and `Impersonate-Extra-KEY` headers
// a user acts as someone else, provided it holds the `impersonate` verb on each: `users` (or
// `serviceaccounts` in the account's namespace, for `system:serviceaccount:NS:NAME`), `groups`,
// `uids` and `userextras/KEY` (resource names are the impersonated values), all in the
// authentication.k8s.io group except users, groups and serviceaccounts (core). The impersonated
// user gets `system:authenticated` (or, for system:anonymous, `system:unauthenticated`), and
// service accounts their two groups, as Kubernetes adds them. Refusals are 403.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { failureStatus } from '@kite/apimachinery';
import type { Authorizer, ResourceAttributes, UserInfo } from '../auth/types.js';
import { GROUP_AUTHENTICATED, GROUP_UNAUTHENTICATED, SERVICE_ACCOUNT_USER_PREFIX, USER_ANONYMOUS } from '../auth/types.js';
import { serviceAccountGroups } from '../auth/tokens/claims.js';
import { contextOf } from './context.js';

const EXTRA_PREFIX = 'impersonate-extra-';

function headerValues(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

function forbidden(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(403).type('application/json').send(JSON.stringify(failureStatus(403, 'Forbidden', message)));
}

interface Check {
  attrs: Omit<ResourceAttributes, 'user' | 'resourceRequest'>;
  what: string;
}

function checks(username: string | undefined, groups: string[], uid: string | undefined, extra: Record<string, string[]>): Check[] {
  const out: Check[] = [];
  const base = { verb: 'impersonate', apiVersion: '', subresource: '', namespace: '' };
  if (username !== undefined) {
    if (username.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) {
      const [ns = '', name = ''] = username.slice(SERVICE_ACCOUNT_USER_PREFIX.length).split(':');
      out.push({ attrs: { ...base, apiGroup: '', resource: 'serviceaccounts', namespace: ns, name }, what: `serviceaccounts "${name}"` });
    } else out.push({ attrs: { ...base, apiGroup: '', resource: 'users', name: username }, what: `users "${username}"` });
  }
  for (const g of groups) out.push({ attrs: { ...base, apiGroup: '', resource: 'groups', name: g }, what: `groups "${g}"` });
  if (uid !== undefined) out.push({ attrs: { ...base, apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid }, what: `uids "${uid}"` });
  for (const [key, values] of Object.entries(extra)) {
    for (const v of values) out.push({ attrs: { ...base, apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: v }, what: `userextras/${key} "${v}"` });
  }
  return out;
}

export function impersonationFilter(authorizer: Authorizer) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const h = req.headers;
    const user = h['impersonate-user'];
    const groups = headerValues(h['impersonate-group']);
    const uid = typeof h['impersonate-uid'] === 'string' ? h['impersonate-uid'] : undefined;
    const extra: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(h)) {
      if (k.startsWith(EXTRA_PREFIX)) extra[decodeURIComponent(k.slice(EXTRA_PREFIX.length))] = headerValues(v);
    }
    if (user === undefined && groups.length === 0 && uid === undefined && Object.keys(extra).length === 0) return undefined;
    const username = Array.isArray(user) ? user[0] : user;
    if (username === undefined) {
      return forbidden(reply, 'requested impersonation of groups, uids or extras without impersonating a user');
    }
    const ctx = contextOf(req);
    for (const c of checks(username, groups, uid, extra)) {
      const d = await authorizer.authorize({ ...c.attrs, resourceRequest: true, user: ctx.user });
      if (d.decision !== 'allow') {
        return forbidden(reply, `${c.what} is forbidden: User "${ctx.user.username}" cannot impersonate resource "${c.attrs.resource}" in API group "${c.attrs.apiGroup}"${c.attrs.namespace ? ` in the namespace "${c.attrs.namespace}"` : ' at the cluster scope'}`);
      }
    }
    const asGroups = [...groups];
    if (username.startsWith(SERVICE_ACCOUNT_USER_PREFIX) && groups.length === 0) {
      const ns = username.slice(SERVICE_ACCOUNT_USER_PREFIX.length).split(':')[0] ?? '';
      asGroups.push(...serviceAccountGroups(ns));
    }
    const implicit = username === USER_ANONYMOUS ? GROUP_UNAUTHENTICATED : GROUP_AUTHENTICATED;
    if (!asGroups.includes(implicit)) asGroups.push(implicit);
    const impersonated: UserInfo = { username, groups: asGroups, ...(uid !== undefined ? { uid } : {}), ...(Object.keys(extra).length > 0 ? { extra } : {}) };
    for (const k of Object.keys(h)) if (k.startsWith('impersonate-')) delete h[k];
    req.kite = { ...ctx, impersonator: ctx.user, user: impersonated };
    return undefined;
  };
}

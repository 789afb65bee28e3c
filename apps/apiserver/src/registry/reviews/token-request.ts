// serviceaccounts/NAME/token: the TokenRequest API (`kubectl create token`). Issues a signed
// ServiceAccount JWT for the named account, for the asked audiences (default: the API's), valid for
// expirationSeconds (default 1 h, at least 10 min, capped at a day), optionally bound to a Pod or
// Secret so it stops working when that object goes (the authenticator checks on every use).
import { ApiError, badRequest, failureStatus, invalid, notFound } from '@kite/apimachinery';
import type { KubeObject } from '@kite/api-types';
import { DEFAULT_EXPIRATION_SECONDS, MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS, type ObjectRefClaim } from '../../auth/tokens/claims.js';
import type { ObjectLookup } from '../../auth/authenticators/lookup.js';
import type { ReviewDeps } from './types.js';

interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string };
}

const GK = { group: 'authentication.k8s.io', kind: 'TokenRequest' };

async function boundObject(lookup: ObjectLookup, namespace: string, ref: NonNullable<TokenRequestSpec['boundObjectRef']>): Promise<{ pod?: ObjectRefClaim; secret?: ObjectRefClaim; node?: ObjectRefClaim }> {
  const kinds: Record<string, 'pods' | 'secrets'> = { Pod: 'pods', Secret: 'secrets' };
  const resource = kinds[ref.kind ?? ''];
  if (!resource) throw badRequest(`cannot bind token to object of type ${ref.kind ?? ''}`);
  const obj = await lookup.get(resource, namespace, ref.name ?? '');
  if (!obj) throw notFound({ group: '', plural: resource }, ref.name ?? '');
  if (ref.uid && ref.uid !== obj.metadata.uid) {
    throw new ApiError(failureStatus(409, 'Conflict', `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`));
  }
  const claim = { name: obj.metadata.name ?? '', uid: obj.metadata.uid ?? '' };
  if (resource === 'secrets') return { secret: claim };
  const nodeName = (obj as { spec?: { nodeName?: string } }).spec?.nodeName;
  const node = nodeName ? await lookup.get('nodes', '', nodeName) : undefined;
  return { pod: claim, ...(node ? { node: { name: nodeName ?? '', uid: node.metadata.uid ?? '' } } : {}) };
}

export async function createToken(body: Record<string, unknown>, namespace: string, saName: string, deps: ReviewDeps, lookup: ObjectLookup): Promise<KubeObject> {
  if (!deps.issuer) throw new ApiError(failureStatus(404, 'NotFound', 'the server could not find the requested resource: no --service-account-signing-key-file'));
  const spec = (body.spec ?? {}) as TokenRequestSpec;
  const sa = await lookup.get('serviceaccounts', namespace, saName);
  if (!sa) throw notFound({ group: '', plural: 'serviceaccounts' }, saName);
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION_SECONDS) {
    throw invalid(GK, saName, [{ reason: 'FieldValueInvalid', field: 'spec.expirationSeconds', message: `Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes` }]);
  }
  if (expirationSeconds > 2 ** 32) {
    throw invalid(GK, saName, [{ reason: 'FieldValueTooLong', field: 'spec.expirationSeconds', message: `Invalid value: ${expirationSeconds}: may not specify a duration larger than 2^32 seconds` }]);
  }
  const audiences = spec.audiences && spec.audiences.length > 0 ? spec.audiences : deps.apiAudiences;
  const bound = spec.boundObjectRef ? await boundObject(lookup, namespace, spec.boundObjectRef) : {};
  const issued = await deps.issuer.issue({
    namespace,
    serviceAccount: { name: saName, uid: sa.metadata.uid ?? '' },
    audiences,
    expirationSeconds: Math.min(expirationSeconds, MAX_EXPIRATION_SECONDS),
    ...bound,
  });
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { name: saName, namespace, creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
    spec: { ...spec, audiences, expirationSeconds: Math.min(expirationSeconds, MAX_EXPIRATION_SECONDS), boundObjectRef: spec.boundObjectRef ?? null },
    status: issued,
  } as KubeObject;
}

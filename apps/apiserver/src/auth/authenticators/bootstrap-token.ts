// Bootstrap tokens (plugin/pkg/auth/authenticator/token/bootstrap): `ID.SECRET` where ID is 6 and
// SECRET 16 characters of [a-z0-9], backed by a Secret `bootstrap-token-ID` of type
// `bootstrap.kubernetes.io/token` in kube-system with `usage-bootstrap-authentication: "true"`,
// unexpired. The user is `system:bootstrap:ID` in `system:bootstrappers` plus the Secret's
// `auth-extra-groups` (each must start with `system:bootstrappers:`). Nodes use these to join.
import { timingSafeEqual } from 'node:crypto';
import { bearerToken } from './bearer.js';
import type { ObjectLookup } from './lookup.js';
import { GROUP_BOOTSTRAPPERS, type AuthenticationResult, type Authenticator, type AuthRequest } from '../types.js';

export const BOOTSTRAP_TOKEN_AUTHENTICATOR = 'bootstrap-token';
export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
const TOKEN_FORMAT = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const EXTRA_GROUP_FORMAT = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

interface SecretLike {
  type?: string;
  data?: Record<string, string>;
  metadata: { deletionTimestamp?: string };
}

function field(secret: SecretLike, key: string): string | undefined {
  const v = secret.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class BootstrapTokenAuthenticator implements Authenticator {
  readonly name = BOOTSTRAP_TOKEN_AUTHENTICATOR;

  constructor(
    private readonly lookup: ObjectLookup,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(req: AuthRequest): Promise<AuthenticationResult> {
    const token = bearerToken(req.headers.authorization);
    const m = token ? TOKEN_FORMAT.exec(token) : null;
    if (!m) return { kind: 'none' };
    const [, id = '', secretPart = ''] = m;
    const secret = (await this.lookup.get('secrets', 'kube-system', `${BOOTSTRAP_TOKEN_SECRET_PREFIX}${id}`)) as SecretLike | undefined;
    // Kubernetes answers "not mine" for every failure here, so a bad bootstrap token reads as an unknown one.
    if (!secret || secret.type !== BOOTSTRAP_TOKEN_SECRET_TYPE || secret.metadata.deletionTimestamp) return { kind: 'none' };
    if (field(secret, 'token-id') !== id || !sameSecret(field(secret, 'token-secret') ?? '', secretPart)) return { kind: 'none' };
    if (field(secret, 'usage-bootstrap-authentication') !== 'true') return { kind: 'none' };
    const expiration = field(secret, 'expiration');
    if (expiration && !(Date.parse(expiration) > this.now())) return { kind: 'none' };
    const extra = (field(secret, 'auth-extra-groups') ?? '').split(',').map((g) => g.trim()).filter(Boolean);
    if (extra.some((g) => !EXTRA_GROUP_FORMAT.test(g))) return { kind: 'none' };
    return { kind: 'user', method: BOOTSTRAP_TOKEN_AUTHENTICATOR, user: { username: `system:bootstrap:${id}`, groups: [GROUP_BOOTSTRAPPERS, ...extra] } };
  }
}

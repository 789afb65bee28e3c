// Static bearer tokens from `--token-auth-file`, in Kubernetes' CSV format:
//   token,user,uid,"group1,group2,group3"
// (groups optional; a line starting with # is a comment). The file is read once at start-up, as
// Kubernetes does; a malformed line fails the start with its line number.
import { readFileSync } from 'node:fs';
import { parseCsvLine } from './csv.js';
import { bearerToken } from './bearer.js';
import type { AuthenticationResult, Authenticator, AuthRequest, UserInfo } from '../types.js';

export const TOKEN_FILE_AUTHENTICATOR = 'token-file';

export function parseTokenFile(text: string, path = 'token file'): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const fields = parseCsvLine(line);
    const [token, username, uid, groups] = fields;
    if (fields.length < 3 || !token || !username) throw new Error(`${path}, line ${i + 1}: a token line needs at least token,user,uid`);
    if (tokens.has(token)) throw new Error(`${path}, line ${i + 1}: duplicate token`);
    tokens.set(token, { username, ...(uid ? { uid } : {}), groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] });
  });
  return tokens;
}

export class TokenFileAuthenticator implements Authenticator {
  readonly name = TOKEN_FILE_AUTHENTICATOR;

  constructor(private readonly tokens: Map<string, UserInfo>) {}

  static fromFile(path: string): TokenFileAuthenticator {
    return new TokenFileAuthenticator(parseTokenFile(readFileSync(path, 'utf8'), path));
  }

  async authenticate(req: AuthRequest): Promise<AuthenticationResult> {
    const token = bearerToken(req.headers.authorization);
    if (!token) return { kind: 'none' };
    const user = this.tokens.get(token);
    return user ? { kind: 'user', method: TOKEN_FILE_AUTHENTICATOR, user: { ...user, groups: [...user.groups] } } : { kind: 'none' };
  }
}

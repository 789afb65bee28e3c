// Reads a bearer token from the Authorization header, as Kubernetes' bearertoken authenticator
// does: `Bearer TOKEN`, case-insensitive scheme, a single token with no spaces.

export function bearerToken(header: string | string[] | undefined): string | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (!h) return undefined;
  const m = /^bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

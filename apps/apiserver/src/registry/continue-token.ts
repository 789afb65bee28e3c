// The `continue` token of paged lists: the revision of the first page and the member to resume
// after, base64url-encoded as Kubernetes' tokens are opaque strings.
import { badRequest } from '@kite/apimachinery';

export interface ContinuePosition {
  revision: number;
  after: string;
}

export function encodeContinue(pos: ContinuePosition): string {
  return Buffer.from(JSON.stringify({ v: 1, rv: pos.revision, start: pos.after })).toString('base64url');
}

export function decodeContinue(token: string): ContinuePosition {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as { v?: number; rv?: number; start?: string };
    if (parsed.v !== 1 || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string') throw new Error('shape');
    return { revision: parsed.rv, after: parsed.start };
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

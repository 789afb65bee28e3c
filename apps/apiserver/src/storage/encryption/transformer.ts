// One resource's providers in order: the first writes, any may read the value it wrote (chosen by
// the value's prefix), as Kubernetes' prefix transformer does.
import type { KeyedProvider } from './providers.js';

export class ResourceTransformer {
  constructor(private readonly providers: readonly KeyedProvider[]) {
    if (providers.length === 0) throw new Error('a resource needs at least one encryption provider');
  }

  /** Whether writes store plaintext (identity first). */
  get writesPlaintext(): boolean {
    return this.providers[0]?.prefix === '';
  }

  /** Whether plaintext values (written before encryption was turned on) may be read. */
  get readsPlaintext(): boolean {
    return this.providers.some((p) => p.prefix === '');
  }

  /** `prefix + base64(sealed)`, for a JSON string field. */
  seal(plain: string, context: string): string {
    const p = this.providers[0] as KeyedProvider;
    return `${p.prefix}${p.seal(Buffer.from(plain), context).toString('base64')}`;
  }

  /** The plaintext, and whether a provider other than the writing one sealed it (a rewrite would re-seal it). */
  open(envelope: string, context: string): { plain: string; stale: boolean } {
    for (const p of this.providers) {
      if (p.prefix === '' || !envelope.startsWith(p.prefix)) continue;
      return { plain: p.open(Buffer.from(envelope.slice(p.prefix.length), 'base64'), context).toString(), stale: p !== this.providers[0] };
    }
    // Kubernetes' words; the value's own prefix (its key name) is not repeated to the client.
    throw new Error('no matching prefix found');
  }
}

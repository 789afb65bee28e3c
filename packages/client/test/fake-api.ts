// An in-memory stand-in for one resource of the apiserver, implementing the informer's
// ListWatcher: a revision counter, a bounded event history (older revisions answer 410), and
// controls to break watches and fail lists, so informer behaviour can be tested without I/O.
import { expired } from '@kite/apimachinery';
import type { KubeList } from '@kite/api-types';
import { objectKey } from '../src/cache/keys.js';
import { TransportError } from '../src/http/transport.js';
import type { ListWatcher } from '../src/informer/informer.js';
import type { ListOptions, WatchOptions } from '../src/resource-client.js';
import type { WatchEvent } from '../src/watch/watch.js';
import type { TestObj } from './helpers.js';

interface Subscriber {
  push(e: WatchEvent<TestObj>): void;
  end(err?: unknown): void;
}

export class FakeApi implements ListWatcher<TestObj> {
  rev = 0;
  readonly objects = new Map<string, TestObj>();
  /** Events with their revision; trimmed to `historySize`. */
  history: { rev: number; event: WatchEvent<TestObj> }[] = [];
  historySize = 1000;
  readonly watchCalls: (string | undefined)[] = [];
  listCalls = 0;
  failLists = 0;
  private subscribers = new Set<Subscriber>();
  /** True while `write` is delivering events to watchers, to catch synchronous handler calls. */
  emitting = false;

  write(type: 'ADDED' | 'MODIFIED' | 'DELETED', key: string, spec?: TestObj['spec']): TestObj {
    const [ns, name] = key.includes('/') ? key.split('/') : [undefined, key];
    this.rev++;
    const o: TestObj = { apiVersion: 'v1', kind: 'Thing', metadata: { name, resourceVersion: String(this.rev) } };
    if (ns) o.metadata.namespace = ns;
    if (spec) o.spec = spec;
    if (type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, o);
    const event: WatchEvent<TestObj> = { type, object: structuredClone(o) };
    this.history.push({ rev: this.rev, event });
    if (this.history.length > this.historySize) this.history = this.history.slice(-this.historySize);
    this.emitting = true;
    for (const s of this.subscribers) s.push(structuredClone(event));
    this.emitting = false;
    return o;
  }

  bookmark(): void {
    for (const s of this.subscribers) s.push({ type: 'BOOKMARK', object: { kind: 'Thing', apiVersion: 'v1', metadata: { resourceVersion: String(this.rev) } } });
  }

  /** Ends every open watch: cleanly, or with an error (a broken connection, a 410 ERROR event). */
  closeWatches(err?: unknown): void {
    for (const s of [...this.subscribers]) s.end(err);
    this.subscribers.clear();
  }

  breakWatches(): void {
    this.closeWatches(new TransportError('connection reset'));
  }

  openWatches(): number {
    return this.subscribers.size;
  }

  async listAll(_opts: Omit<ListOptions, 'continue'>): Promise<KubeList<TestObj>> {
    this.listCalls++;
    if (this.failLists > 0) {
      this.failLists--;
      throw new TransportError('connection refused');
    }
    const items = [...this.objects.values()].map((o) => structuredClone(o)).sort((a, b) => objectKey(a).localeCompare(objectKey(b)));
    return { apiVersion: 'v1', kind: 'ThingList', metadata: { resourceVersion: String(this.rev) }, items };
  }

  watch(opts: WatchOptions): AsyncIterable<WatchEvent<TestObj>> {
    this.watchCalls.push(opts.resourceVersion);
    const from = Number(opts.resourceVersion ?? this.rev);
    const oldest = this.history[0]?.rev ?? this.rev + 1;
    if (from < oldest - 1) return failing(expired(`too old resource version: ${from} (${oldest - 1})`));
    const backlog = this.history.filter((h) => h.rev > from).map((h) => structuredClone(h.event));
    return this.stream(backlog, opts.signal);
  }

  private stream(backlog: WatchEvent<TestObj>[], signal: AbortSignal | undefined): AsyncIterable<WatchEvent<TestObj>> {
    const queue = [...backlog];
    let wake: (() => void) | undefined;
    let ended = false;
    let error: unknown;
    const sub: Subscriber = {
      push: (e) => {
        queue.push(e);
        wake?.();
      },
      end: (err) => {
        ended = true;
        error = err;
        wake?.();
      },
    };
    this.subscribers.add(sub);
    signal?.addEventListener('abort', () => sub.end(), { once: true });
    const subscribers = this.subscribers;
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for (;;) {
            const next = queue.shift();
            if (next) {
              yield next;
              continue;
            }
            if (ended) {
              if (error !== undefined) throw error;
              return;
            }
            await new Promise<void>((r) => (wake = r));
            wake = undefined;
          }
        } finally {
          subscribers.delete(sub);
        }
      },
    };
  }
}

function failing(err: unknown): AsyncIterable<never> {
  return {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(err) }),
  };
}

// The raw-Redis baseline: the same Redis work each apiserver operation does, sent straight through
// ioredis from this process, with no HTTP, validation or JSON round trips in between. It reuses
// the apiserver's own Lua scripts, key layout, codec and client options, so it follows them as
// they change. The ratio apiserver/raw is then the cost of everything the apiserver adds.
//
// Writes use their own revision counter and stream (RAW_*), the same commands on different keys:
// writing to the real stream would make the apiserver's watch cache decode every baseline event,
// taking CPU from this process and Redis on a two-core machine and skewing the baseline.
import type { Redis } from 'ioredis';
import { splitForWrite } from '../src/storage/codec.js';
import { DEFAULT_HISTORY, createRedis } from '../src/storage/store.js';
import { CREATE, LIST, UPDATE } from '../src/storage/scripts.js';
import { REVISION_KEY, indexKey, member, objectKey, objectKeyPrefix, type ObjectRef } from '../src/storage/keys.js';
import { storedConfigMap } from './objects.js';

const RAW_REVISION_KEY = '/bench/raw/~rev';
const RAW_EVENTS_KEY = '/bench/raw/~events';
const RESOURCE = 'configmaps';
const HISTORY = String(DEFAULT_HISTORY);

type WriteReply = [number, number | string | null];

interface ScriptedRedis extends Redis {
  benchCreate(k1: string, k2: string, k3: string, k4: string, k5: string, ...argv: string[]): Promise<WriteReply>;
  benchUpdate(k1: string, k2: string, k3: string, k4: string, k5: string, ...argv: string[]): Promise<WriteReply>;
  benchList(k1: string, k2: string, ...argv: string[]): Promise<[string, string[], string | null]>;
}

function ref(namespace: string, name: string): ObjectRef {
  return { resource: RESOURCE, namespace, name };
}

export class RawRedis {
  private readonly redis: ScriptedRedis;

  constructor(redisUrl: string) {
    const redis = createRedis(redisUrl);
    redis.defineCommand('benchCreate', { numberOfKeys: 5, lua: CREATE });
    redis.defineCommand('benchUpdate', { numberOfKeys: 5, lua: UPDATE });
    redis.defineCommand('benchList', { numberOfKeys: 2, lua: LIST });
    this.redis = redis as ScriptedRedis;
  }

  async connect(): Promise<void> {
    await this.redis.connect();
  }

  close(): void {
    this.redis.disconnect();
  }

  /** The redis-server's process id, for CPU accounting. */
  async serverPid(): Promise<number> {
    const info = await this.redis.info('server');
    return Number(/process_id:(\d+)/.exec(info)?.[1] ?? 0);
  }

  private writeKeys(r: ObjectRef): [string, string, string, string, string] {
    return [objectKey(r), indexKey(RESOURCE, r.namespace), indexKey(RESOURCE), RAW_REVISION_KEY, RAW_EVENTS_KEY];
  }

  /** The create script with the arguments Store.create passes; returns the new revision. */
  async create(namespace: string, name: string, version: number): Promise<string> {
    const r = ref(namespace, name);
    const { head, tail } = splitForWrite(storedConfigMap(namespace, name, version));
    const [ok, rev] = await this.redis.benchCreate(...this.writeKeys(r), head, tail, name, member(r), RESOURCE, HISTORY);
    if (ok !== 1) throw new Error(`raw create ${member(r)}: ${ok}`);
    return String(rev);
  }

  /** What the apiserver's GET does in Redis: one GET of the object key. */
  async get(namespace: string, name: string): Promise<string> {
    const json = await this.redis.get(objectKey(ref(namespace, name)));
    if (json === null) throw new Error(`raw get ${namespace}/${name}: not found`);
    return json;
  }

  /** The list script over one namespace's index (ZRANGEBYLEX + MGET), as Store.list runs it. */
  async list(namespace: string): Promise<number> {
    const [, items] = await this.redis.benchList(indexKey(RESOURCE, namespace), REVISION_KEY, '-', '0', objectKeyPrefix(RESOURCE, namespace));
    return items.length;
  }

  /**
   * What the apiserver's PUT does in Redis: GET the current object (guaranteedUpdate reads it
   * first), then the update script pinned to `rv`. Returns the new revision.
   */
  async update(namespace: string, name: string, version: number, rv: string): Promise<string> {
    const r = ref(namespace, name);
    await this.get(namespace, name);
    const { head, tail } = splitForWrite(storedConfigMap(namespace, name, version));
    const [ok, rev] = await this.redis.benchUpdate(...this.writeKeys(r), head, tail, rv, '', RESOURCE, HISTORY);
    if (ok !== 1) throw new Error(`raw update ${member(r)}: ${ok} ${String(rev)}`);
    return String(rev);
  }
}

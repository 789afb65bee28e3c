// The security phase (issue 20): what the request path's security chain costs. On one fresh
// redis-server it starts two apiservers: one with the defaults (TLS, x509 authentication,
// authorization Node,RBAC, every default admission plugin) and one identical but for
// `--authorization-mode AlwaysAllow`. The load comes from an ordinary user, bench-user, whom a
// RoleBinding gives the `edit` ClusterRole in the bench namespaces: RBAC resolves and matches
// rules for every request (no system:masters shortcut). Create and get run at the bench's
// concurrency against each apiserver and as the raw-Redis baseline.
//
// Drift: the three targets are measured in the order secure, AlwaysAllow, raw, raw, AlwaysAllow,
// secure, each pass half of --duration-ms, so a machine that gets busier or quieter during the
// phase weighs on all three alike. Each pass is one sample of the medians.
//
// The idle apiserver is not quite idle during creates: its watch cache follows the shared change
// stream, as a second apiserver of an HA pair does. That cost falls on both apiservers alike
// (the raw baseline writes to a stream of its own); its CPU is the `sibling` share.
import { ADMIN, testUser, type ApiServerHandle } from '@kite/testing';
import { ApiClient } from './http.js';
import type { Operation } from './loop.js';
import { closedLoop } from './loop.js';
import { collectionPath, configMapJson, objectPath, roleBindingJson, roleBindingsPath } from './objects.js';
import type { BenchOptions } from './options.js';
import { createNamespaces, measure, mustSucceed, type Measured, type PhaseContext } from './phases.js';
import { RawRedis } from './raw.js';
import type { ServerSet } from './servers.js';

/** The user the load comes from: no groups but system:authenticated, bound to `edit` below. */
export const BENCH_USER = testUser('bench-user');
const ROLE = 'edit';

const NS = { create: 'sec-create', get: 'sec-get', warm: 'sec-warm' } as const;
const RAW_CREATE_NS = 'raw-sec-create';
/** Objects the get phase reads, round robin. */
const GET_OBJECTS = 1000;
/** Longest wait for the RoleBindings to reach the secure apiserver's RBAC cache. */
const RBAC_SYNC_TIMEOUT_MS = 15_000;

export type SecurityTarget = 'secure' | 'alwaysAllow' | 'raw';
export type SecurityOp = 'create' | 'get';
export const SECURITY_OPS: readonly SecurityOp[] = ['create', 'get'];
/** ABC CBA: linear drift over the phase cancels out between the three targets. */
const ORDER: readonly SecurityTarget[] = ['secure', 'alwaysAllow', 'raw', 'raw', 'alwaysAllow', 'secure'];

export interface SecurityPass {
  op: SecurityOp;
  target: SecurityTarget;
  /** Position in ORDER. */
  pass: number;
  result: Measured;
}

export interface SecurityResult {
  passes: SecurityPass[];
}

interface Targets {
  secure: ApiClient;
  alwaysAllow: ApiClient;
  raw: RawRedis;
  contexts: Record<SecurityTarget, PhaseContext>;
}

/** Polls until `check` holds or the timeout passes (then throws `what`). */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`security phase: ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Namespaces, RoleBindings and the objects to get, made by the cluster admin. */
async function setUp(admin: ApiClient, concurrency: number): Promise<void> {
  await createNamespaces(admin, Object.values(NS));
  for (const ns of Object.values(NS)) await admin.text('POST', roleBindingsPath(ns), 201, roleBindingJson(ns, BENCH_USER.user, ROLE));
  const seeded = await closedLoop({ concurrency, durationMs: 60_000, maxOps: GET_OBJECTS }, async (_w, i) => void (await admin.text('POST', collectionPath(NS.get), 201, configMapJson(NS.get, `g-${i}`, i))));
  mustSucceed('seeding the security phase', seeded, GET_OBJECTS);
}

/**
 * Waits until RBAC lets bench-user in on the secure apiserver, then checks that the two differ
 * where they should: outside its namespaces bench-user is forbidden by RBAC, allowed by AlwaysAllow.
 */
async function checkAuthorization(secure: ApiClient, alwaysAllow: ApiClient): Promise<void> {
  for (const ns of Object.values(NS)) {
    await until(async () => (await secure.send('GET', collectionPath(ns))).status === 200, RBAC_SYNC_TIMEOUT_MS, `bench-user allowed in ${ns}`);
  }
  const denied = await secure.send('GET', collectionPath('default'));
  if (denied.status !== 403) throw new Error(`security phase: RBAC should forbid bench-user in default, got ${denied.status} ${denied.text.slice(0, 200)}`);
  const allowed = await alwaysAllow.send('GET', collectionPath('default'));
  if (allowed.status !== 200) throw new Error(`security phase: AlwaysAllow should let bench-user in, got ${allowed.status} ${allowed.text.slice(0, 200)}`);
}

/** Unmeasured creates and gets on both apiservers, so neither is measured cold. */
async function warmUp(t: Targets, opts: BenchOptions): Promise<void> {
  const bounds = { concurrency: opts.concurrency, durationMs: opts.warmupMs / 2, maxOps: opts.maxOps };
  for (const [tag, api] of [['s', t.secure], ['a', t.alwaysAllow]] as const) {
    await closedLoop(bounds, async (_w, i) => void (await api.text('POST', collectionPath(NS.warm), 201, configMapJson(NS.warm, `${tag}-${i}`, i))));
    await closedLoop(bounds, async (_w, i) => void (await api.text('GET', objectPath(NS.get, `g-${i % GET_OBJECTS}`), 200)));
  }
}

/** The operation of one pass; names carry target, pass and attempt so none collide. */
function operation(t: Targets, op: SecurityOp, target: SecurityTarget, pass: number): (attempt: number) => Operation {
  if (op === 'get') {
    if (target === 'raw') return () => async (_w, i) => void (await t.raw.get(NS.get, `g-${i % GET_OBJECTS}`));
    const api = target === 'secure' ? t.secure : t.alwaysAllow;
    return () => async (_w, i) => void (await api.text('GET', objectPath(NS.get, `g-${i % GET_OBJECTS}`), 200));
  }
  if (target === 'raw') return (a) => async (_w, i) => void (await t.raw.create(RAW_CREATE_NS, `r-${pass}-${a}-${i}`, i));
  const api = target === 'secure' ? t.secure : t.alwaysAllow;
  const tag = target === 'secure' ? 's' : 'a';
  return (a) => async (_w, i) => void (await api.text('POST', collectionPath(NS.create), 201, configMapJson(NS.create, `${tag}-${pass}-${a}-${i}`, i)));
}

function contexts(opts: BenchOptions, clients: { secure: ApiClient; alwaysAllow: ApiClient; raw: RawRedis }, pids: { secure: number; alwaysAllow: number; redis: number }): Record<SecurityTarget, PhaseContext> {
  const bounds = { concurrency: opts.concurrency, durationMs: Math.max(1, Math.round(opts.durationMs / 2)), maxOps: opts.maxOps };
  const ctx = (api: ApiClient, apiserver: number, sibling: number): PhaseContext => {
    const p = { apiserver, redis: pids.redis, sibling };
    return { api, raw: clients.raw, pids: p, bounds, contention: { pids: p, quietWaitMs: opts.quietWaitMs, retries: opts.retries } };
  };
  return {
    secure: ctx(clients.secure, pids.secure, pids.alwaysAllow),
    alwaysAllow: ctx(clients.alwaysAllow, pids.alwaysAllow, pids.secure),
    // The raw baseline: `apiserver` is the secure one (both sit idle meanwhile).
    raw: ctx(clients.secure, pids.secure, pids.alwaysAllow),
  };
}

const pidOf = (s: ApiServerHandle) => s.child.pid ?? 0;

/** Runs the whole phase on servers of its own, which it stops before returning. */
export async function securityPhase(opts: BenchOptions, servers: ServerSet, benchDir: string): Promise<SecurityResult> {
  const { redis, server: secureServer } = await servers.start(benchDir);
  const allowServer = await servers.addApiServer(['--authorization-mode', 'AlwaysAllow']);
  const admin = new ApiClient(await secureServer.connection(ADMIN), opts.concurrency);
  const secure = new ApiClient(await secureServer.connection(BENCH_USER), opts.concurrency);
  const alwaysAllow = new ApiClient(await allowServer.connection(BENCH_USER), opts.concurrency);
  const raw = new RawRedis(redis.url);
  try {
    await raw.connect();
    await setUp(admin, opts.concurrency);
    await checkAuthorization(secure, alwaysAllow);
    const pids = { secure: pidOf(secureServer), alwaysAllow: pidOf(allowServer), redis: await raw.serverPid() };
    const t: Targets = { secure, alwaysAllow, raw, contexts: contexts(opts, { secure, alwaysAllow, raw }, pids) };
    await warmUp(t, opts);
    const passes: SecurityPass[] = [];
    for (const op of SECURITY_OPS) {
      for (const [pass, target] of ORDER.entries()) {
        const side = target === 'raw' ? 'raw' : 'api';
        passes.push({ op, target, pass, result: await measure(t.contexts[target], `${op} ${target}`, side, operation(t, op, target, pass)) });
      }
    }
    return { passes };
  } finally {
    await Promise.all([admin.close(), secure.close(), alwaysAllow.close()]);
    raw.close();
    await servers.stop();
  }
}

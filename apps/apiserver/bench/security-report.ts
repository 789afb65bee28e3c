// The security phase's numbers: medians over every pass of every round, per operation and
// target, the ratios issue 20 asks for, and its target (a report, never a failure).
import type { CpuShare } from './cpu.js';
import { cpu, int, med, medCpu, ms, table, type Target } from './report.js';
import { SECURITY_OPS, type SecurityOp, type SecurityResult, type SecurityTarget } from './security.js';

/** Issue 20: TLS + authentication + RBAC + admission cost at most 15% of throughput. */
const MIN_SECURE_RATIO = 0.85;

const OP_LABELS: Record<SecurityOp, string> = { create: 'create ConfigMap', get: 'get ConfigMap' };
const TARGET_LABELS: Record<SecurityTarget, string> = { secure: 'Node,RBAC (defaults)', alwaysAllow: 'AlwaysAllow', raw: 'raw Redis' };
const TARGETS: readonly SecurityTarget[] = ['secure', 'alwaysAllow', 'raw'];

export interface SecurityRow {
  operation: string;
  target: SecurityTarget;
  /** Passes the medians are over (rounds × 2). */
  passes: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** CPU µs per operation of the server doing the work (the apiserver, or Redis for raw). */
  serverCpuUsPerOp: number;
  cpu: CpuShare;
}

export interface SecurityRatios {
  operation: string;
  /** Throughput, secure ÷ AlwaysAllow: what RBAC (and the Node authorizer) cost. */
  secureOverAlwaysAllow: number;
  /** Throughput, secure ÷ raw Redis: what the whole apiserver costs. */
  secureOverRaw: number;
  /** Apiserver CPU per operation, secure ÷ AlwaysAllow (less sensitive to a busy machine). */
  cpuSecureOverAlwaysAllow: number;
}

export interface SecuritySummary {
  rows: SecurityRow[];
  ratios: SecurityRatios[];
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

export function summarizeSecurity(results: SecurityResult[]): SecuritySummary {
  const rows: SecurityRow[] = [];
  const ratios: SecurityRatios[] = [];
  for (const op of SECURITY_OPS) {
    const byTarget = new Map<SecurityTarget, SecurityRow>();
    for (const target of TARGETS) {
      const ps = results.flatMap((r) => r.passes.filter((p) => p.op === op && p.target === target)).map((p) => p.result);
      if (ps.length === 0) continue;
      const row: SecurityRow = {
        operation: OP_LABELS[op],
        target,
        passes: ps.length,
        opsPerSec: med(ps, (p) => p.opsPerSec),
        p50Ms: med(ps, (p) => p.latency.p50),
        p99Ms: med(ps, (p) => p.latency.p99),
        errors: ps.reduce((n, p) => n + p.errors, 0),
        serverCpuUsPerOp: med(ps, (p) => p.serverCpuUsPerOp),
        cpu: medCpu(ps, (p) => p.cpu),
      };
      rows.push(row);
      byTarget.set(target, row);
    }
    const [secure, allow, raw] = TARGETS.map((t) => byTarget.get(t));
    if (secure && allow && raw) {
      ratios.push({
        operation: OP_LABELS[op],
        secureOverAlwaysAllow: ratio(secure.opsPerSec, allow.opsPerSec),
        secureOverRaw: ratio(secure.opsPerSec, raw.opsPerSec),
        cpuSecureOverAlwaysAllow: ratio(secure.serverCpuUsPerOp, allow.serverCpuUsPerOp),
      });
    }
  }
  return { rows, ratios };
}

/** The target, checked on each operation's secure ÷ AlwaysAllow throughput. */
export function checkSecurityTargets(s: SecuritySummary): Target[] {
  return s.ratios.map((r) => ({
    name: `security chain, ${r.operation} (secure ÷ AlwaysAllow ops/s)`,
    want: `≥ ${MIN_SECURE_RATIO}`,
    got: r.secureOverAlwaysAllow.toFixed(3),
    ok: r.secureOverAlwaysAllow >= MIN_SECURE_RATIO,
  }));
}

export function formatSecurity(s: SecuritySummary): string {
  const rows = table(
    ['operation, authorization', 'passes', 'ops/s', 'p50 ms', 'p99 ms', 'errors', 'server µs/op', 'cpu% server/redis/bench/other', 'idle apiserver cpu%'],
    s.rows.map((r) => [`${r.operation}, ${TARGET_LABELS[r.target]}`, String(r.passes), int(r.opsPerSec), ms(r.p50Ms), ms(r.p99Ms), String(r.errors), int(r.serverCpuUsPerOp), cpu(r.cpu), r.cpu.sibling === undefined ? '-' : String(r.cpu.sibling)]),
  );
  const ratios = table(
    ['operation', 'ops/s secure ÷ AlwaysAllow', 'ops/s secure ÷ raw', 'apiserver µs/op secure ÷ AlwaysAllow'],
    s.ratios.map((r) => [r.operation, r.secureOverAlwaysAllow.toFixed(3), r.secureOverRaw.toFixed(3), r.cpuSecureOverAlwaysAllow.toFixed(3)]),
  );
  return `${rows}\n\n${ratios}`;
}

export const SECURITY_LEGEND = [
  'security: bench-user (RoleBinding to ClusterRole edit) over TLS with a client certificate; both apiservers run every default',
  'admission plugin, on one Redis. server µs/op: apiserver CPU per operation (Redis CPU for raw); cpu% "server" is the apiserver',
  'under load (for raw: the secure one, idle); idle apiserver cpu%: the other one, whose watch cache follows every create.',
].join('\n');

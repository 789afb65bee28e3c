// `npm run bench -w @kite/scheduler`: scheduler_perf-style runs against a real apiserver and Redis
// on this machine, printed as a table. Flags: --only 1000 | 5000, --pods N, --concurrency N,
// --precreate (create every pod first, then start the scheduler), --timeout SECONDS.
// Needs the built apiserver and scheduler (`npx turbo run build --filter=@kite/scheduler...`).
import { parseArgs } from 'node:util';
import { runScenario, type ScenarioResult } from './scenario.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    pods: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '48' },
    precreate: { type: 'boolean', default: false },
    both: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '300' },
  },
});

const NODE_COUNTS = values.only ? [Number(values.only)] : [1000, 5000];
const TARGETS: Record<number, number> = { 1000: 1000, 5000: 700 };
const modes = values.both ? [false, true] : [values.precreate];

const results: ScenarioResult[] = [];
for (const nodes of NODE_COUNTS) {
  for (const precreate of modes) {
    console.error(`running ${nodes} nodes, ${values.pods} pods (${precreate ? 'precreated' : 'concurrent'})...`);
    const r = await runScenario({ nodes, pods: Number(values.pods), concurrency: Number(values.concurrency), timeoutMs: Number(values.timeout) * 1000, precreate });
    results.push(r);
    console.error(JSON.stringify(r));
  }
}

const f = (n: number, d = 0) => n.toFixed(d);
console.log('| nodes | pods | mode | pods bound/s | target | per-second avg / p50 / p90 | latency p50 / p90 / p99 / max (ms) | creates/s | CPU s: apiserver / redis / scheduler / driver (wall s) | sched mean attempt / bind (ms) |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const target = TARGETS[r.nodes];
  const verdict = target === undefined ? '' : `${target} ${r.podsPerSecond >= target ? 'met' : 'missed'}`;
  console.log(
    `| ${r.nodes} | ${r.pods} | ${r.mode} | ${f(r.podsPerSecond)} | ${verdict} | ${f(r.perSecond.avg)} / ${r.perSecond.p50} / ${r.perSecond.p90} | ${f(r.latencyMs.p50)} / ${f(r.latencyMs.p90)} / ${f(r.latencyMs.p99)} / ${f(r.latencyMs.max)} | ${f(r.createRate)} | ${f(r.cpu.apiserver, 1)} / ${f(r.cpu.redis, 1)} / ${f(r.cpu.scheduler, 1)} / ${f(r.cpu.driver, 1)} (${f(r.wallSeconds, 1)}) | ${f(r.scheduler.attemptMeanMs, 3)} / ${f(r.scheduler.bindMeanMs, 1)} |`,
  );
}

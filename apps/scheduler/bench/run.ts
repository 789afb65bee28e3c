// `npm run bench -w @kite/scheduler`: scheduler_perf-style runs against a real apiserver and Redis
// on this machine, printed as a table. Flags: --only 1000 | 5000, --pods N, --concurrency N,
// --precreate (create every pod first, then start the scheduler), --both (both modes),
// --timeout SECONDS, --appendfsync no|everysec|always, --quiet-wait SECONDS (wait up to that long
// for the 1-minute load average to drop below --quiet-load, default 1.5, before each run).
// Needs the built apiserver and scheduler (`npx turbo run build --filter=@kite/scheduler...`).
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@kite/testing';
import { waitQuiet } from './quiet.js';
import { runScenario, type ScenarioResult } from './scenario.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    pods: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '48' },
    precreate: { type: 'boolean', default: false },
    both: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '300' },
    appendfsync: { type: 'string', default: 'everysec' },
    'quiet-load': { type: 'string', default: '1.5' },
    'quiet-wait': { type: 'string', default: '0' },
  },
});

for (const app of ['apiserver', 'scheduler']) {
  if (!existsSync(join(repoRoot, 'apps', app, 'dist', 'main.js'))) {
    console.error(`apps/${app} is not built: run npx turbo run build --filter=@kite/scheduler... --filter=@kite/apiserver first`);
    process.exit(2);
  }
}

const NODE_COUNTS = values.only ? [Number(values.only)] : [1000, 5000];
const TARGETS: Record<number, number> = { 1000: 1000, 5000: 700 };
const modes = values.both ? [false, true] : [values.precreate];

const results: (ScenarioResult & { loadAfter: number })[] = [];
for (const nodes of NODE_COUNTS) {
  for (const precreate of modes) {
    const load = await waitQuiet(Number(values['quiet-load']), Number(values['quiet-wait']) * 1000);
    console.error(`running ${nodes} nodes, ${values.pods} pods (${precreate ? 'precreated' : 'concurrent'}); load average before: ${load.toFixed(2)}`);
    const r = await runScenario({ nodes, pods: Number(values.pods), concurrency: Number(values.concurrency), timeoutMs: Number(values.timeout) * 1000, precreate, appendfsync: values.appendfsync as 'everysec' | 'always' | 'no' });
    results.push({ ...r, loadAfter: loadavg()[0] ?? 0 });
    console.error(JSON.stringify(r));
  }
}

const f = (n: number, d = 0) => n.toFixed(d);
console.log('| nodes | pods | mode | pods bound/s | target | per-second avg / p50 / p90 | latency p50 / p90 / p99 / max (ms) | creates/s | CPU s: apiserver / redis / scheduler / driver (wall s) | sched mean attempt / bind (ms) | load avg after |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const target = TARGETS[r.nodes];
  const verdict = target === undefined ? '' : `${target} ${r.podsPerSecond >= target ? 'met' : 'missed'}`;
  console.log(
    `| ${r.nodes} | ${r.pods} | ${r.mode} | ${f(r.podsPerSecond)} | ${verdict} | ${f(r.perSecond.avg)} / ${r.perSecond.p50} / ${r.perSecond.p90} | ${f(r.latencyMs.p50)} / ${f(r.latencyMs.p90)} / ${f(r.latencyMs.p99)} / ${f(r.latencyMs.max)} | ${f(r.createRate)} | ${f(r.cpu.apiserver, 1)} / ${f(r.cpu.redis, 1)} / ${f(r.cpu.scheduler, 1)} / ${f(r.cpu.driver, 1)} (${f(r.wallSeconds, 1)}) | ${f(r.scheduler.attemptMeanMs, 3)} / ${f(r.scheduler.bindMeanMs, 1)} | ${f(r.loadAfter, 1)} |`,
  );
}

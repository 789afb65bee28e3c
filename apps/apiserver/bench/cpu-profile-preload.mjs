// Preloaded into the apiserver child (NODE_OPTIONS=--import) when the bench runs with --cpu-prof.
// Each SIGUSR2 toggles a V8 CPU profile through the in-process inspector: the first starts one,
// the next stops it and writes KITE_CPU_PROF_DIR/PID-N.cpuprofile (N = 0, 1, ...), with the GC
// pauses of the same interval beside it in PID-N.gc.json (pauses are what p99 feels). The bench
// signals around each measured phase, so a profile holds that phase alone, not start-up, seeding
// or warm-up. (Node refuses `--cpu-prof` in NODE_OPTIONS, and the helper that starts the
// apiserver passes no node flags.) Plain JavaScript: the child runs without a TypeScript loader.
import { Session } from 'node:inspector';
import { PerformanceObserver } from 'node:perf_hooks';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Sampling interval in microseconds: finer than the default 1 ms, still cheap. */
const SAMPLING_INTERVAL_US = 500;

const dir = process.env.KITE_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let active = false;
  let written = 0;
  /** GC pause durations (ms) by kind (perf_hooks constants: 1 minor, 4 major, 8 incremental, 16 weak callbacks). */
  let pauses = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ kind: e.detail?.kind ?? 0, ms: e.duration });
  });

  const start = () => {
    pauses = [];
    gc.observe({ entryTypes: ['gc'] });
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    session.post('Profiler.start');
    active = true;
  };
  // An in-process session answers synchronously, so this also works inside an 'exit' handler.
  const stop = () => {
    active = false;
    gc.disconnect();
    session.post('Profiler.stop', (err, result) => {
      if (err || !result) return;
      const base = join(dir, `${process.pid}-${written++}`);
      writeFileSync(`${base}.gc.json`, JSON.stringify(pauses));
      // Written under another name first: the bench polls for the final name and must never
      // read half a file.
      writeFileSync(`${base}.tmp`, JSON.stringify(result.profile));
      renameSync(`${base}.tmp`, `${base}.cpuprofile`);
    });
  };
  process.on('SIGUSR2', () => (active ? stop() : start()));
  process.on('exit', () => active && stop());
}

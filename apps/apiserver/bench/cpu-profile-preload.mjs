// Preloaded into the apiserver child (NODE_OPTIONS=--import) when the bench runs with --cpu-prof.
// Each SIGUSR2 toggles a V8 CPU profile through the in-process inspector: the first starts one,
// the next stops it and writes KITE_CPU_PROF_DIR/PID-N.cpuprofile (N = 0, 1, ...). The bench
// signals around each measured phase, so a profile holds that phase alone, not start-up, seeding
// or warm-up. (Node refuses `--cpu-prof` in NODE_OPTIONS, and the helper that starts the
// apiserver passes no node flags.) Plain JavaScript: the child runs without a TypeScript loader.
import { Session } from 'node:inspector';
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

  const start = () => {
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    session.post('Profiler.start');
    active = true;
  };
  // An in-process session answers synchronously, so this also works inside an 'exit' handler.
  const stop = () => {
    active = false;
    session.post('Profiler.stop', (err, result) => {
      if (err || !result) return;
      const file = join(dir, `${process.pid}-${written++}.cpuprofile`);
      // Written under another name first: the bench polls for the final name and must never
      // read half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      renameSync(`${file}.tmp`, file);
    });
  };
  process.on('SIGUSR2', () => (active ? stop() : start()));
  process.on('exit', () => active && stop());
}

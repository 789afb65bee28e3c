// The /proc and engine parsers behind the usage numbers: a thread's schedstat and stat (Wasm
// containers), /proc/stat and /proc/meminfo (the node), the engine's memory stats (Docker), and
// the CPU rate from two cumulative readings. Then the real files of this machine, read once.
import { describe, expect, it } from 'vitest';
import { containerStatsOf, workingSetBytes } from '../../src/runtime/docker/stats.js';
import { parseSchedstat, parseThreadStat, threadCpuNanoseconds } from '../../src/runtime/wasm/thread-usage.js';
import { currentThreadId } from '../../src/runtime/wasm/worker/usage-report.js';
import { CpuRateTracker } from '../../src/stats/cpu-rate.js';
import { parseMeminfo, parseProcStat, readNodeUsage } from '../../src/stats/node-usage.js';

// A stat line with a command name holding spaces and a parenthesis; utime 153, stime 11.
const STAT = '6379 (node (worker) 1) R 6364 6364 4217 0 -1 4194368 27983 0 0 0 153 11 0 0 20 0 12 0 141621 12403589120 40105';

describe('thread CPU', () => {
  it.each([
    { name: 'ns on cpu is the first field', text: '1651241102 5320278 18\n', want: 1651241102 },
    { name: 'zero for a thread that never ran', text: '0 0 0', want: 0 },
    { name: 'empty file', text: '', want: undefined },
    { name: 'garbage', text: 'abc 1 2', want: undefined },
  ])('schedstat: $name', ({ text, want }) => {
    expect(parseSchedstat(text)).toBe(want);
  });

  it.each([
    { name: 'utime + stime in ticks of 10 ms, after the last parenthesis', text: STAT, want: (153 + 11) * 10_000_000 },
    { name: 'a plain command name', text: '1 (sh) S 0 1 1 0 -1 0 0 0 0 0 5 5 0 0', want: 100_000_000 },
    { name: 'truncated before stime', text: '1 (sh) S 0 1 1 0 -1 0 0 0 0 0 5', want: undefined },
    { name: 'no command name', text: '1 sh S', want: undefined },
  ])('stat: $name', ({ text, want }) => {
    expect(parseThreadStat(text)).toBe(want);
  });

  it('reads this thread from /proc, and nothing for a thread that does not exist', async () => {
    const tid = currentThreadId();
    expect(tid).toBeGreaterThan(0);
    expect(threadCpuNanoseconds(tid ?? 0)).toBeGreaterThan(0);
    expect(threadCpuNanoseconds(2 ** 30)).toBeUndefined();
  });
});

const PROC_STAT = ['cpu  100 20 30 1000 50 5 5 10 7 0', 'cpu0 50 10 15 500 25 2 3 5 0 0', 'intr 1 2 3', 'btime 1700000000', 'processes 42'].join('\n');
const MEMINFO = ['MemTotal:       16000000 kB', 'MemFree:         2000000 kB', 'MemAvailable:    6000000 kB', 'Buffers:          100000 kB'].join('\n');

describe('node usage', () => {
  it.each([
    // user + nice + system + irq + softirq + steal = 100+20+30+5+5+10 = 170 ticks; guest (7) is inside user.
    { name: 'busy ticks of the aggregate line, boot time', text: PROC_STAT, want: { busyNanoseconds: 170 * 10_000_000, bootTime: new Date(1_700_000_000_000) } },
    { name: 'an old kernel without steal', text: 'cpu 1 2 3 4 5 6 7\nbtime 10', want: { busyNanoseconds: (1 + 2 + 3 + 6 + 7) * 10_000_000, bootTime: new Date(10_000) } },
    { name: 'no cpu line', text: 'btime 10', want: undefined },
    { name: 'no btime', text: 'cpu 1 2 3 4', want: undefined },
  ])('/proc/stat: $name', ({ text, want }) => {
    expect(parseProcStat(text)).toEqual(want);
  });

  it.each([
    { name: 'kB to bytes', text: MEMINFO, want: { totalBytes: 16_000_000 * 1024, freeBytes: 2_000_000 * 1024, availableBytes: 6_000_000 * 1024 } },
    { name: 'no MemAvailable (kernel < 3.14)', text: 'MemTotal: 10 kB\nMemFree: 5 kB', want: undefined },
  ])('/proc/meminfo: $name', ({ text, want }) => {
    expect(parseMeminfo(text)).toEqual(want);
  });

  it('reads this machine: working set = total - available, below total, CPU moving', async () => {
    const a = await readNodeUsage();
    expect(a.memory.workingSetBytes).toBeGreaterThan(0);
    expect(a.memory.workingSetBytes + a.memory.availableBytes).toBeGreaterThan(a.memory.usageBytes - 1);
    expect(a.startTime.getTime()).toBeLessThan(Date.now());
    const spinUntil = Date.now() + 50;
    while (Date.now() < spinUntil);
    expect((await readNodeUsage()).usageCoreNanoSeconds).toBeGreaterThan(a.usageCoreNanoSeconds);
  });
});

describe('docker memory working set', () => {
  it.each([
    { name: 'cgroup v1: usage - total_inactive_file', memory: { usage: 10_000, stats: { total_inactive_file: 3000, inactive_file: 1000 } }, want: 7000 },
    { name: 'cgroup v2: usage - inactive_file', memory: { usage: 10_000, stats: { inactive_file: 4000 } }, want: 6000 },
    { name: 'never below zero', memory: { usage: 100, stats: { inactive_file: 4000 } }, want: 0 },
    { name: 'a stopped container reports nothing', memory: {}, want: 0 },
  ])('$name', ({ memory, want }) => {
    expect(workingSetBytes(memory)).toBe(want);
  });

  it('takes the reading time from the engine, CPU from total_usage', () => {
    const now = new Date(0);
    const stats = containerStatsOf('id', 'sb', 'app', { read: '2026-01-02T03:04:05.123456789Z', cpu_stats: { cpu_usage: { total_usage: 42 } }, memory_stats: { usage: 5 } }, now);
    expect(stats).toEqual({ id: 'id', sandboxId: 'sb', name: 'app', cpu: { timestamp: new Date('2026-01-02T03:04:05.123Z'), usageCoreNanoSeconds: 42 }, memory: { timestamp: new Date('2026-01-02T03:04:05.123Z'), workingSetBytes: 5 } });
    expect(containerStatsOf('id', 'sb', 'app', { read: '0001-01-01T00:00:00Z' }, now).cpu.timestamp).toBe(now);
  });
});

describe('CPU rate', () => {
  const at = (s: number) => new Date(s * 1000);
  type Step = [seconds: number, usageNs: number, want: number | undefined];
  it.each<{ name: string; steps: Step[] }>([
    { name: 'no rate from a single reading', steps: [[10, 2e9, undefined]] },
    { name: '1.5 s of CPU over 2 s is 750m', steps: [[10, 2e9, undefined], [12, 3.5e9, 7.5e8]] },
    { name: 'one core spinning', steps: [[0, 0, undefined], [5, 5e9, 1e9], [10, 10e9, 1e9]] },
    { name: 'a reading 0.2 s after the last keeps the last rate and the reference', steps: [[0, 0, undefined], [2, 1e9, 5e8], [2.2, 1.2e9, 5e8], [4, 3e9, 1e9]] },
    { name: 'usage going down (a new container) starts over', steps: [[0, 5e9, undefined], [2, 1e9, undefined], [4, 3e9, 1e9]] },
    { name: 'the same reading again', steps: [[3, 1e9, undefined], [3, 1e9, undefined]] },
  ])('$name', ({ steps }) => {
    const tracker = new CpuRateTracker();
    for (const [s, usage, want] of steps) expect(tracker.observe('c', at(s), usage)).toBe(want);
  });

  it('forgets keys not retained', () => {
    const tracker = new CpuRateTracker();
    tracker.observe('a', at(0), 0);
    tracker.observe('b', at(0), 0);
    tracker.retain(new Set(['a']));
    expect(tracker.observe('a', at(2), 2e9)).toBe(1e9);
    expect(tracker.observe('b', at(2), 2e9)).toBeUndefined();
  });
});

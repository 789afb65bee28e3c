// What one look at a scale-to-zero Deployment decides (pure; table-tested).
//
//   rate > 0                      → keep, and restart the idle clock (a request reached a pod)
//   rate unknown (API error)      → keep, and restart the clock: no scale-down without evidence
//   rate 0, or no data at all     → idle; scale to 0 once idle ≥ the annotated duration
//
// "No data" is the custom metrics API's 404 for these pods: no proxy has counted a request for
// any of them within its window, which is idleness too. Worked example with
// `scale-to-zero-after: 60s` and a 10 s sync period: last request at t=0 (rate > 0 in the sample
// taken up to t=15 s at the default 15 s resolution, so the clock restarts until then), rate 0
// from t=20 s → scaled down at the first sync at or after t=75 s.

/** What the custom metrics API said about the Deployment's pods. */
export type Activity =
  | { kind: 'rate'; perSecond: number }
  | { kind: 'noData' }
  | { kind: 'unknown'; reason: string };

export type Decision =
  | { action: 'keep'; restartClock: boolean; idleMs: number }
  | { action: 'scaleDown'; idleMs: number };

export function decide(activity: Activity, idleMs: number, afterMs: number): Decision {
  if (activity.kind === 'unknown' || (activity.kind === 'rate' && activity.perSecond > 0)) return { action: 'keep', restartClock: true, idleMs: 0 };
  if (idleMs >= afterMs) return { action: 'scaleDown', idleMs };
  return { action: 'keep', restartClock: false, idleMs };
}

// The scale-to-zero controller's pure pieces (idle clock, decision) and its sync against a real
// cache Store, with the request rate and the scale write recorded instead of sent.
import { describe, expect, it } from 'vitest';
import { SCALE_TO_ZERO_AFTER_ANNOTATION, type Deployment, type EventType, type Scale } from '@kite/api-types';
import { Store } from '@kite/client';
import { createLogger } from '@kite/component-base';
import type { Activity } from '../../src/scaletozero/decide.js';
import { decide } from '../../src/scaletozero/decide.js';
import { IdleClock } from '../../src/scaletozero/idle-clock.js';
import { REASON_FAILED_GET_REQUEST_RATE, REASON_INVALID_ANNOTATION, REASON_SCALED_TO_ZERO, syncScaleToZero, type ScaleToZeroDeps } from '../../src/scaletozero/sync.js';

describe('IdleClock', () => {
  type Step = ['idle', number] | ['restart', number] | ['forget'];
  it.each<[string, Step[], number[]]>([
    ['a Deployment first seen starts at zero idle (controller start)', [['idle', 5000], ['idle', 8000]], [0, 3000]],
    ['a restart starts the idle time again', [['idle', 0], ['idle', 4000], ['restart', 4500], ['idle', 6000]], [0, 4000, 1500]],
    ['a forgotten Deployment starts over when seen again', [['idle', 0], ['idle', 9000], ['forget'], ['idle', 10_000], ['idle', 12_000]], [0, 9000, 0, 2000]],
  ])('%s', (_name, steps, want) => {
    const c = new IdleClock();
    const got: number[] = [];
    for (const s of steps) {
      if (s[0] === 'idle') got.push(c.idleFor('default/web', s[1]));
      else if (s[0] === 'restart') c.restart('default/web', s[1]);
      else c.forget('default/web');
    }
    expect(got).toEqual(want);
  });
});

describe('decide', () => {
  const rate = (perSecond: number): Activity => ({ kind: 'rate', perSecond });
  it.each<[string, Activity, number, number, ReturnType<typeof decide>]>([
    ['requests flowing: keep, restart the clock', rate(2.5), 90_000, 60_000, { action: 'keep', restartClock: true, idleMs: 0 }],
    ['a tiny rate still counts', rate(0.001), 90_000, 60_000, { action: 'keep', restartClock: true, idleMs: 0 }],
    ['rate unknown: keep, restart (no scale-down without evidence)', { kind: 'unknown', reason: 'x' }, 90_000, 60_000, { action: 'keep', restartClock: true, idleMs: 0 }],
    ['idle, not long enough yet', rate(0), 59_999, 60_000, { action: 'keep', restartClock: false, idleMs: 59_999 }],
    ['idle exactly the annotated time: scale down', rate(0), 60_000, 60_000, { action: 'scaleDown', idleMs: 60_000 }],
    ['no data counts as idle', { kind: 'noData' }, 61_000, 60_000, { action: 'scaleDown', idleMs: 61_000 }],
  ])('%s', (_name, activity, idleMs, afterMs, want) => {
    expect(decide(activity, idleMs, afterMs)).toEqual(want);
  });
});

describe('syncScaleToZero', () => {
  const KEY = 'default/web';
  const PERIOD = 10_000;

  function deployment(replicas: number, after?: string): Deployment {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '42', ...(after !== undefined ? { annotations: { [SCALE_TO_ZERO_AFTER_ANNOTATION]: after } } : {}) },
      spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x.wasm' }] } } },
    } as Deployment;
  }

  /** A sync harness at time `t`, reading `activity`; records scale writes, Events and rate reads. */
  function harness(d: Deployment | undefined, activity: Activity) {
    const store = new Store<Deployment>();
    if (d) store.upsert(d);
    const h = {
      t: 0,
      scales: [] as { name: string; replicas: number | undefined; rv: string | undefined }[],
      events: [] as { type: EventType; reason: string; message: string }[],
      reads: [] as string[],
      deps: undefined as unknown as ScaleToZeroDeps,
    };
    h.deps = {
      store,
      deployments: {
        updateScale: async (name: string, s: Scale) => {
          h.scales.push({ name, replicas: s.spec?.replicas, rv: s.metadata.resourceVersion });
          return s;
        },
      },
      activity: async (ns, selector) => {
        h.reads.push(`${ns} ${selector}`);
        return activity;
      },
      clock: new IdleClock(),
      recorder: { event: (_obj, type, reason, message) => h.events.push({ type, reason, message }) },
      logger: createLogger('scaletozero-test', 'silent'),
      now: () => h.t,
      syncPeriodMs: PERIOD,
      warned: new Map(),
    };
    return h;
  }

  it('scales an idle Deployment to 0 once the annotated time has passed, with the cached resourceVersion, and says why', async () => {
    const h = harness(deployment(2, '3s'), { kind: 'rate', perSecond: 0 });
    expect(await syncScaleToZero(h.deps, KEY)).toEqual({ requeueAfterMs: PERIOD });
    expect(h.reads).toEqual(['default app=web']);
    h.t = 2999;
    expect(await syncScaleToZero(h.deps, KEY)).toEqual({ requeueAfterMs: PERIOD });
    expect(h.scales).toEqual([]);
    h.t = 3200;
    expect(await syncScaleToZero(h.deps, KEY)).toBeUndefined();
    expect(h.scales).toEqual([{ name: 'web', replicas: 0, rv: '42' }]);
    expect(h.events).toEqual([{ type: 'Normal', reason: REASON_SCALED_TO_ZERO, message: `Scaled to 0 from 2 replicas: no request reached its pods for 3.2s (${SCALE_TO_ZERO_AFTER_ANNOTATION}: 3s)` }]);
  });

  it('keeps a Deployment whose pods get requests, however long it runs', async () => {
    const h = harness(deployment(1, '3s'), { kind: 'rate', perSecond: 1.5 });
    for (const t of [0, 5000, 60_000]) {
      h.t = t;
      expect(await syncScaleToZero(h.deps, KEY)).toEqual({ requeueAfterMs: PERIOD });
    }
    expect(h.scales).toEqual([]);
    expect(h.deps.clock.idleFor(KEY, 60_000)).toBe(0);
  });

  it('warns once when the rate cannot be read, and never scales down meanwhile', async () => {
    const h = harness(deployment(1, '1s'), { kind: 'unknown', reason: 'custom.metrics.k8s.io/v1beta2 is not served, so requests cannot be seen' });
    for (const t of [0, 5000, 10_000]) {
      h.t = t;
      await syncScaleToZero(h.deps, KEY);
    }
    expect(h.scales).toEqual([]);
    expect(h.events).toEqual([{ type: 'Warning', reason: REASON_FAILED_GET_REQUEST_RATE, message: 'custom.metrics.k8s.io/v1beta2 is not served, so requests cannot be seen; the idle time starts again' }]);
  });

  it.each([
    ['not a duration', 'soon', 'is not a duration such as 60s or 5m'],
    ['zero', '0s', 'must be greater than 0'],
  ])('an invalid annotation (%s) gets one Warning Event and no action', async (_name, value, why) => {
    const h = harness(deployment(1, value), { kind: 'noData' });
    for (const t of [0, 100_000]) {
      h.t = t;
      expect(await syncScaleToZero(h.deps, KEY)).toBeUndefined();
    }
    expect(h.scales).toEqual([]);
    expect(h.reads).toEqual([]);
    expect(h.events).toHaveLength(1);
    expect(h.events[0]).toMatchObject({ type: 'Warning', reason: REASON_INVALID_ANNOTATION });
    expect(h.events[0]?.message).toContain(why);
  });

  it.each([
    ['not annotated', deployment(3)],
    ['already at 0', deployment(0, '3s')],
    ['gone', undefined],
  ])('does nothing for a Deployment %s', async (_name, d) => {
    const h = harness(d, { kind: 'noData' });
    h.t = 1_000_000;
    expect(await syncScaleToZero(h.deps, KEY)).toBeUndefined();
    expect([h.scales, h.events, h.reads]).toEqual([[], [], []]);
  });
});

// DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): every pod tolerates
// `node.kubernetes.io/not-ready:NoExecute` and `node.kubernetes.io/unreachable:NoExecute` for
// 300 seconds unless it says otherwise, so a node that stops reporting evicts its pods after
// five minutes rather than at once. A toleration that already covers the taint (same key or an
// empty key, NoExecute or an empty effect) is left alone.
import type { Pod, Toleration } from '@kite/api-types';
import { isKind } from './attributes.js';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin } from './interface.js';

export const NAME = 'DefaultTolerationSeconds';

/** Taint the node lifecycle controller puts on a node whose Ready condition is False. */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** Taint it puts on a node whose Ready condition is Unknown (no heartbeat). */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** kube-apiserver's --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

export interface DefaultTolerationSecondsOptions {
  notReadySeconds?: number;
  unreachableSeconds?: number;
}

const covers = (t: Toleration, key: string): boolean => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute');

export class DefaultTolerationSeconds implements MutatingPlugin {
  readonly name = NAME;
  private readonly notReady: Toleration;
  private readonly unreachable: Toleration;

  constructor(opts: DefaultTolerationSecondsOptions = {}) {
    const toleration = (key: string, seconds: number): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
    this.notReady = toleration(TAINT_NODE_NOT_READY, opts.notReadySeconds ?? DEFAULT_TOLERATION_SECONDS);
    this.unreachable = toleration(TAINT_NODE_UNREACHABLE, opts.unreachableSeconds ?? DEFAULT_TOLERATION_SECONDS);
  }

  handles(attrs: AdmissionAttributes): boolean {
    return (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE') && attrs.subresource === '' && isKind(attrs, '', 'Pod');
  }

  admit(_attrs: AdmissionAttributes, obj: Pod): void {
    if (!obj.spec) return;
    const tolerations = obj.spec.tolerations ?? [];
    const add: Toleration[] = [];
    if (!tolerations.some((t) => covers(t, TAINT_NODE_NOT_READY))) add.push({ ...this.notReady });
    if (!tolerations.some((t) => covers(t, TAINT_NODE_UNREACHABLE))) add.push({ ...this.unreachable });
    if (add.length > 0) obj.spec.tolerations = [...tolerations, ...add];
  }
}

export const newDefaultTolerationSeconds = (_ctx: AdmissionContext, opts: DefaultTolerationSecondsOptions = {}): DefaultTolerationSeconds =>
  new DefaultTolerationSeconds(opts);

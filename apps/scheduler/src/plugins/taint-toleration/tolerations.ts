// Toleration matching, shared by TaintToleration, NodeUnschedulable and NodeReady.
//
// A toleration tolerates a taint when all of these hold:
// - effect: the toleration names none (all effects) or the taint's effect;
// - key: the toleration names none (every key; validation only allows that with Exists), or
//   the taint's key;
// - value: operator Exists ignores it; Equal (the default) needs the taint's value exactly.
import type { Toleration } from '@kite/api-types';
import type { DeepReadonly } from '@kite/client';
import type { TaintObj } from '../../framework/node-info.js';

export type TolerationObj = DeepReadonly<Toleration>;

export function tolerates(t: TolerationObj, taint: TaintObj): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export function toleratedBy(tolerations: readonly TolerationObj[], taint: TaintObj): boolean {
  for (const t of tolerations) if (tolerates(t, taint)) return true;
  return false;
}

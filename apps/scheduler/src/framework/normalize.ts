// Score normalisation helpers for plugins whose raw scores are counts or weights.
import { MAX_NODE_SCORE } from './interface.js';

/**
 * Scales raw scores so the largest becomes MAX_NODE_SCORE (all zero stays zero). With `reverse`,
 * lower is better: the smallest raw score gets MAX_NODE_SCORE and the largest gets 0; when every
 * raw score is 0, every node gets MAX_NODE_SCORE. Example, reverse: raw [0, 2, 4] → [100, 50, 0].
 */
export function defaultNormalize(scores: Float64Array, reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] ?? 0;
    if (max === 0) scores[i] = reverse ? MAX_NODE_SCORE : 0;
    else scores[i] = reverse ? MAX_NODE_SCORE - (s * MAX_NODE_SCORE) / max : (s * MAX_NODE_SCORE) / max;
  }
}

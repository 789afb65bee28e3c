import { describe, expect, it } from 'vitest';
import { numFeasibleNodesToFind } from '../../src/schedule/sampling.js';

describe('numFeasibleNodesToFind', () => {
  it.each<{ nodes: number; pct?: number; want: number }>([
    { nodes: 0, want: 0 },
    { nodes: 3, want: 3 },
    { nodes: 49, want: 49 },
    { nodes: 100, want: 50 }, // 50% - 0.8 = 49.2% → 49, raised to the minimum of 50
    { nodes: 1000, want: 420 }, // 50 - 8 = 42%
    { nodes: 5000, want: 500 }, // 50 - 40 = 10%
    { nodes: 10000, want: 500 }, // floor of 5%
    { nodes: 1000, pct: 10, want: 100 },
    { nodes: 1000, pct: 1, want: 50 }, // never fewer than 50
    { nodes: 1000, pct: 100, want: 1000 },
    { nodes: 60, pct: 10, want: 50 },
  ])('$nodes nodes at $pct% → $want', ({ nodes, pct, want }) => expect(numFeasibleNodesToFind(nodes, pct)).toBe(want));
});

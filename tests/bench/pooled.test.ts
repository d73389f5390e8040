/**
 * The statistics behind `bench/run.ts --rounds` (bench/lib/stats.ts, bench/lib/pooled.ts): histogram percentiles,
 * pooling stretches, and the bootstrap interval that decides whether a ratio above 1.0 is more than noise.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapRatio, histQuantile, prng, toHistogram } from '../../bench/lib/stats.ts';
import { pooledFanout, type PooledSession, type PooledStretch } from '../../bench/lib/pooled.ts';

function exactQuantile(values: number[], q: number): number {
  const a = [...values].sort((x, y) => x - y);
  return a[Math.max(0, Math.ceil(q * a.length) - 1)]!;
}

/** Latencies like a fan-out stretch: mostly a few ms, a tail, and (if stall > 0) a stall that delays 5 % of them. */
function stretchValues(seed: number, scale = 1, stall = 0): number[] {
  const rand = prng(seed);
  return Array.from({ length: 5000 }, (_, i) => scale * (2 + 3 * rand() + (rand() < 0.05 ? 10 * rand() : 0)) + (i % 20 === 0 ? stall : 0));
}

const stretch = (values: number[]): PooledStretch => ({ invalid: false, serverFanoutP50Ms: 1, serverFanoutP99Ms: 2, hist: toHistogram(values) });

describe('log histogram', () => {
  it('reads percentiles at most 1 % above the exact ones', () => {
    const values = stretchValues(7);
    for (const q of [0.5, 0.9, 0.99, 0.999]) {
      const exact = exactQuantile(values, q);
      const read = histQuantile([toHistogram(values)], q);
      expect(read).toBeGreaterThanOrEqual(exact);
      expect(read).toBeLessThanOrEqual(exact * 1.01 + 1e-9);
    }
  });

  it('pools several histograms as one histogram of all their values', () => {
    const a = stretchValues(1);
    const b = stretchValues(2, 3);
    expect(histQuantile([toHistogram(a), toHistogram(b)], 0.99)).toBe(histQuantile([toHistogram([...a, ...b])], 0.99));
    expect(histQuantile([], 0.99)).toBeNaN();
  });
});

describe('bootstrap interval of a p99 ratio', () => {
  const p99 = (xs: readonly PooledStretch[]): number => histQuantile(xs.map((x) => x.hist), 0.99);

  it('holds 1.0 for two servers drawn from the same distribution', () => {
    const a = Array.from({ length: 8 }, (_, i) => stretch(stretchValues(100 + i)));
    const b = Array.from({ length: 8 }, (_, i) => stretch(stretchValues(200 + i)));
    const ci = bootstrapRatio(a, b, p99);
    expect(ci.low).toBeLessThanOrEqual(1);
    expect(ci.high).toBeGreaterThanOrEqual(1);
  });

  it('excludes 1.0 when one server is twice as slow in every stretch', () => {
    const slow = Array.from({ length: 8 }, (_, i) => stretch(stretchValues(300 + i, 2)));
    const fast = Array.from({ length: 8 }, (_, i) => stretch(stretchValues(400 + i)));
    expect(bootstrapRatio(slow, fast, p99).low).toBeGreaterThan(1.5);
    expect(bootstrapRatio(fast, slow, p99).high).toBeLessThan(0.67);
  });

  it('is wide when a few stretches hold a stall that lifts the pooled p99 (so the verdict is "noise", not "higher")', () => {
    const a = Array.from({ length: 8 }, (_, i) => stretch(stretchValues(500 + i, 1, i === 3 || i === 6 ? 60 : 0)));
    const b = Array.from({ length: 8 }, (_, i) => stretch(stretchValues(600 + i)));
    expect(p99(a) / p99(b)).toBeGreaterThan(2);
    const ci = bootstrapRatio(a, b, p99);
    expect(ci.low).toBeLessThanOrEqual(1.05);
    expect(ci.high).toBeGreaterThan(2);
  });

  it('lets one stalled stretch in eight barely move the pooled p99 (its own p99 jumps)', () => {
    const a = Array.from({ length: 8 }, (_, i) => stretch(stretchValues(700 + i, 1, i === 3 ? 60 : 0)));
    const b = Array.from({ length: 8 }, (_, i) => stretch(stretchValues(800 + i)));
    expect(p99([a[3]!]) / p99([b[3]!])).toBeGreaterThan(3);
    expect(p99(a) / p99(b)).toBeLessThan(1.25);
  });
});

describe('pooledFanout', () => {
  const session = (server: string, scale: number, seed: number): PooledSession => ({
    server,
    n: 50,
    presence: false,
    phases: [{ writers: 1, ratePerWriter: 20, repeats: [stretch(stretchValues(seed, scale)), stretch(stretchValues(seed + 1, scale))] }],
  });

  it('pools every session of a cell and gives a verdict', () => {
    const cells = pooledFanout([session('stock', 1, 1), session('project', 2, 3), session('stock', 1, 5), session('project', 2, 7)]);
    expect(cells).toHaveLength(1);
    const [c] = cells;
    expect(c!.stretches).toEqual({ stock: 4, project: 4 });
    expect(c!.ratio).toBeGreaterThan(1.5);
    expect(c!.verdict).toBe('higher');
    const better = pooledFanout([session('stock', 2, 1), session('project', 1, 3)]);
    expect(better[0]!.verdict).toBe('≤ 1');
  });

  it('leaves out cells measured on one server only, and other kinds of session', () => {
    expect(pooledFanout([session('stock', 1, 1), session('cluster', 1, 2)])).toEqual([]);
  });
});

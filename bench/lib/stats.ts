/** Exact percentiles over all samples (no histogram bucketing): samples are kept in a growable Float64Array. */
export class Samples {
  private buf = new Float64Array(1 << 14);
  n = 0;

  push(v: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }

  histogram(): SparseHistogram {
    return toHistogram(this.buf, this.n);
  }

  summary(): LatencySummary {
    const a = this.buf.slice(0, this.n).sort();
    const q = (p: number): number => (a.length === 0 ? NaN : a[Math.min(a.length - 1, Math.max(0, Math.ceil(p * a.length) - 1))]!);
    let sum = 0;
    for (const v of a) sum += v;
    return {
      count: a.length,
      p50: round(q(0.5)),
      p90: round(q(0.9)),
      p99: round(q(0.99)),
      p999: round(q(0.999)),
      max: round(a.length ? a[a.length - 1]! : NaN),
      mean: round(a.length ? sum / a.length : NaN),
    };
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export function round(v: number, digits = 2): number {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const a = [...values].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

/** Deterministic PRNG (mulberry32), for repeatable document histories. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Latencies as a log-scale histogram with 1 % wide bins, `[bin, count]` pairs for the bins in use: bin b holds the
 * values in (HIST_BASE^(b−1), HIST_BASE^b] ms. Many measured stretches can then be pooled (and resampled, for a
 * bootstrap interval) without shipping every sample over IPC; a percentile read off it is at most 1 % high.
 */
export type SparseHistogram = [bin: number, count: number][];
export const HIST_BASE = 1.01;
const LOG_BASE = Math.log(HIST_BASE);
const HIST_FLOOR_MS = 0.001;

export function toHistogram(values: ArrayLike<number>, n = values.length): SparseHistogram {
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const b = Math.ceil(Math.log(Math.max(HIST_FLOOR_MS, values[i]!)) / LOG_BASE);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => a[0] - b[0]);
}

/** The q-quantile (0..1) of several histograms pooled, in ms (the upper edge of the bin it falls in). */
export function histQuantile(hists: readonly SparseHistogram[], q: number): number {
  const counts = new Map<number, number>();
  let total = 0;
  for (const h of hists)
    for (const [b, c] of h) {
      counts.set(b, (counts.get(b) ?? 0) + c);
      total += c;
    }
  if (total === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [b, c] of [...counts].sort((x, y) => x[0] - y[0])) {
    seen += c;
    if (seen >= rank) return HIST_BASE ** b;
  }
  return NaN;
}

/**
 * Bootstrap interval of `stat(a) / stat(b)` where a and b are lists of measured stretches: each resample draws
 * stretches with replacement within each list (a stretch, not a sample, is the unit: a stall lands in a whole
 * stretch or not, so samples within one are not independent). Returns the `level` central interval.
 */
export function bootstrapRatio<T>(
  a: readonly T[],
  b: readonly T[],
  stat: (xs: readonly T[]) => number,
  { iterations = 2000, level = 0.9, seed = 1 }: { iterations?: number; level?: number; seed?: number } = {},
): { low: number; high: number } {
  if (a.length === 0 || b.length === 0) return { low: NaN, high: NaN };
  const rand = prng(seed);
  const draw = <U>(xs: readonly U[]): U[] => xs.map(() => xs[Math.floor(rand() * xs.length)]!);
  const ratios: number[] = [];
  for (let i = 0; i < iterations; i++) ratios.push(stat(draw(a)) / stat(draw(b)));
  ratios.sort((x, y) => x - y);
  const at = (p: number): number => ratios[Math.min(ratios.length - 1, Math.max(0, Math.floor(p * ratios.length)))]!;
  return { low: at((1 - level) / 2), high: at(1 - (1 - level) / 2) };
}

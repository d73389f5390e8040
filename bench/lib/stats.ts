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

/**
 * Pooling the fan-out stretches of a `--rounds` run: per cell (N, presence, load) and server, one p50 and one p99
 * over every latency of every stretch, and a bootstrap interval on the project/stock p99 ratio (stretches resampled,
 * see bootstrapRatio). A cell's verdict: "≤ 1" when the pooled ratio is at most 1.0, otherwise "noise" when the
 * interval still holds 1.0 (the two servers cannot be told apart at this many stretches), "higher" when it does not.
 */
import { bootstrapRatio, histQuantile, median, round, type SparseHistogram } from './stats.ts';

export interface PooledStretch {
  invalid: boolean;
  serverFanoutP50Ms: number;
  serverFanoutP99Ms: number;
  hist: SparseHistogram;
}

export interface PooledSession {
  server: string;
  n: number;
  presence: boolean;
  phases: { writers: number; ratePerWriter: number; repeats?: PooledStretch[] }[];
}

export interface PooledCell {
  n: number;
  presence: boolean;
  load: string;
  stretches: { stock: number; project: number };
  invalid: { stock: number; project: number };
  p50: { stock: number; project: number };
  p99: { stock: number; project: number };
  ratio: number;
  /** 90 % bootstrap interval of the p99 ratio. */
  ci: { low: number; high: number };
  verdict: '≤ 1' | 'noise' | 'higher';
  /** The server's own share (edit in → last socket write), median over stretches of each stretch's figure. */
  share: { stockP50: number; projectP50: number; stockP99: number; projectP99: number };
}

const p99 = (xs: readonly PooledStretch[]): number => histQuantile(xs.map((x) => x.hist), 0.99);

export function pooledFanout(sessions: readonly PooledSession[], { iterations = 2000, level = 0.9 } = {}): PooledCell[] {
  const cells = new Map<string, { n: number; presence: boolean; load: string; stock: PooledStretch[]; project: PooledStretch[] }>();
  for (const s of sessions) {
    if (s.server !== 'stock' && s.server !== 'project') continue;
    for (const ph of s.phases) {
      const load = `${ph.writers} × ${ph.ratePerWriter}/s`;
      const key = `${s.n}|${s.presence}|${load}`;
      let c = cells.get(key);
      if (!c) cells.set(key, (c = { n: s.n, presence: s.presence, load, stock: [], project: [] }));
      c[s.server].push(...(ph.repeats ?? []));
    }
  }
  const out: PooledCell[] = [];
  for (const c of cells.values()) {
    if (c.stock.length === 0 || c.project.length === 0) continue;
    const ratio = p99(c.project) / p99(c.stock);
    const ci = bootstrapRatio(c.project, c.stock, p99, { iterations, level });
    const p50 = (xs: PooledStretch[]): number => round(histQuantile(xs.map((x) => x.hist), 0.5));
    out.push({
      n: c.n,
      presence: c.presence,
      load: c.load,
      stretches: { stock: c.stock.length, project: c.project.length },
      invalid: { stock: c.stock.filter((x) => x.invalid).length, project: c.project.filter((x) => x.invalid).length },
      p50: { stock: p50(c.stock), project: p50(c.project) },
      p99: { stock: round(p99(c.stock)), project: round(p99(c.project)) },
      ratio: round(ratio),
      ci: { low: round(ci.low), high: round(ci.high) },
      verdict: ratio <= 1 ? '≤ 1' : ci.low <= 1 ? 'noise' : 'higher',
      share: {
        stockP50: round(median(c.stock.map((x) => x.serverFanoutP50Ms)), 3),
        projectP50: round(median(c.project.map((x) => x.serverFanoutP50Ms)), 3),
        stockP99: round(median(c.stock.map((x) => x.serverFanoutP99Ms)), 3),
        projectP99: round(median(c.project.map((x) => x.serverFanoutP99Ms)), 3),
      },
    });
  }
  return out;
}

/** The pooled cells as a Markdown table (what BENCHMARKS.md shows). */
export function pooledTable(cells: readonly PooledCell[]): string {
  const head =
    '| N | presence | load | stretches (invalid) stock / project | p50 stock / project | p99 stock / project | **p99 ratio** | 90 % interval | verdict | share p50 stock / project |\n' +
    '|---|---|---|---|---|---|---|---|---|---|';
  const rows = cells.map(
    (c) =>
      `| ${c.n} | ${c.presence ? 'on' : 'off'} | ${c.load} | ${c.stretches.stock} (${c.invalid.stock}) / ${c.stretches.project} (${c.invalid.project}) | ` +
      `${c.p50.stock} / ${c.p50.project} | ${c.p99.stock} / ${c.p99.project} | **${c.ratio.toFixed(2)}** | ${c.ci.low.toFixed(2)}–${c.ci.high.toFixed(2)} | ${c.verdict} | ` +
      `${c.share.stockP50} / ${c.share.projectP50} |`,
  );
  return [head, ...rows].join('\n');
}

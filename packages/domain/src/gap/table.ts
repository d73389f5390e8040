/**
 * The coverage as rows of a plain table (the accessible alternative to the treemap and gauges): one row per
 * panorama, sector and lever, nested by `level` (1 panorama, 2 sector, 3 lever), then a row for the entries on
 * unknown levers (when there are any) and the overall total. Each row carries the raw figures and French
 * display texts (`cells`) that say everything in words (no colour, no symbol-only cell).
 */
import { ENTRY_STATUSES, type EntryStatus } from '../diagnostic/entry.ts';
import type { CoverageCounts, CoverageFigures, CoverageResult, LeverValues } from './coverage.ts';
import type { CoverageEntry } from './effect.ts';

export const COVERAGE_COLUMNS = [
  { key: 'label', label: 'Levier' },
  { key: 'objective', label: 'Objectif 2030 (ktCO2e évitées)' },
  { key: 'physical', label: 'Ordre de grandeur en 2030' },
  { key: 'covered', label: 'Couvert : réalisé et en cours (ktCO2e)' },
  { key: 'share', label: 'Part de l’objectif couverte' },
  { key: 'gap', label: 'Reste à couvrir (ktCO2e)' },
  { key: 'planned', label: 'Prévu (ktCO2e, hors part couverte)' },
  { key: 'entries', label: 'Entrées' },
  { key: 'values', label: 'Valeurs déclarées dans l’unité du levier' },
] as const;
export type CoverageColumnKey = (typeof COVERAGE_COLUMNS)[number]['key'];

export type CoverageRowKind = 'panorama' | 'sector' | 'lever' | 'unmatched' | 'overall';

export interface CoverageTableRow {
  kind: CoverageRowKind;
  /** Nesting depth for indentation and `aria-level`: 1 panorama/total, 2 sector, 3 lever. */
  level: 1 | 2 | 3;
  /** Panorama id, sector id (`<panorama>/<sector>`), lever id, `unmatched` or `overall`. */
  id: string;
  label: string;
  /** Raw figures (null for the unmatched row, which has counts only). */
  figures: CoverageFigures | null;
  counts: CoverageCounts;
  /** Lever rows only. */
  values: LeverValues | null;
  physical2030: { value: number; unit: string } | null;
  greyed: boolean;
  /** French display text of every column. */
  cells: Record<CoverageColumnKey, string>;
}

export interface CoverageTable {
  columns: typeof COVERAGE_COLUMNS;
  rows: CoverageTableRow[];
}

const NA = 'non applicable';

/** French number: no decimals from 100, one from 1, up to three below. */
export function formatCoverageNumber(x: number): string {
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 1 ? 1 : 3;
  return new Intl.NumberFormat('fr-FR', { maximumFractionDigits: digits }).format(x === 0 ? 0 : x);
}

/** French percentage of a ratio, whole numbers (« < 1 % » for a small positive share). */
export function formatShare(ratio: number): string {
  if (ratio > 0 && ratio < 0.005) return '< 1 %';
  return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(Math.round(ratio * 100))} %`;
}

function shareCell(f: CoverageFigures): string {
  if (f.share === null || f.shareCapped === null) return NA;
  const shown = formatShare(f.shareCapped);
  return f.share > 1 ? `${shown} (objectif dépassé : ${formatShare(f.share)})` : shown;
}

const STATUS_WORDS: Record<EntryStatus, [string, string]> = {
  realise: ['réalisée', 'réalisées'],
  'en-cours': ['en cours', 'en cours'],
  prevu: ['prévue', 'prévues'],
};

function countsCell(c: CoverageCounts): string {
  if (c.total === 0) return 'aucune entrée';
  const parts = ENTRY_STATUSES.filter((s) => c.byStatus[s] > 0).map((s) => `${c.byStatus[s]} ${STATUS_WORDS[s][c.byStatus[s] > 1 ? 1 : 0]}`);
  const head = `${c.total} ${c.total > 1 ? 'entrées' : 'entrée'} (${parts.join(', ')})`;
  return c.unquantified > 0 ? `${head}, dont ${c.unquantified} sans effet en ktCO2e` : head;
}

function valuesCell(v: LeverValues | null): string {
  if (v === null) return NA;
  if (v.counted === 0) return v.otherUnit > 0 ? `aucune en ${v.unit} (${v.otherUnit} dans une autre unité)` : 'aucune';
  const text = `${formatCoverageNumber(v.covered)} ${v.unit} réalisés ou en cours, ${formatCoverageNumber(v.planned)} ${v.unit} prévus`;
  return v.otherUnit > 0 ? `${text} (${v.otherUnit} dans une autre unité)` : text;
}

function cellsOf(
  label: string,
  f: CoverageFigures | null,
  counts: CoverageCounts,
  values: LeverValues | null,
  physical: { value: number; unit: string } | null,
): Record<CoverageColumnKey, string> {
  const kt = (x: number | null | undefined): string => (x === null || x === undefined ? NA : formatCoverageNumber(x));
  return {
    label,
    objective: f && f.objectiveKtCO2e !== null ? kt(f.objectiveKtCO2e) : 'sans objectif en ktCO2e',
    physical: physical ? `${formatCoverageNumber(physical.value)} ${physical.unit}` : NA,
    covered: f ? kt(f.covered) : NA,
    share: f ? shareCell(f) : NA,
    gap: f ? kt(f.gap) : NA,
    planned: f ? kt(f.planned) : NA,
    entries: countsCell(counts),
    values: valuesCell(values),
  };
}

/** Rows of the coverage table (see the module comment). */
export function coverageTable<E extends CoverageEntry>(result: CoverageResult<E>): CoverageTable {
  const rows: CoverageTableRow[] = [];
  const row = (r: Omit<CoverageTableRow, 'cells'>): void => {
    rows.push({ ...r, cells: cellsOf(r.label, r.figures, r.counts, r.values, r.physical2030) });
  };
  for (const p of result.panoramas) {
    row({ kind: 'panorama', level: 1, id: p.panorama, label: p.label, figures: p, counts: p.counts, values: null, physical2030: null, greyed: false });
    for (const s of p.sectors) {
      row({ kind: 'sector', level: 2, id: `${p.panorama}/${s.sectorId}`, label: s.label, figures: s, counts: s.counts, values: null, physical2030: null, greyed: false });
      for (const l of s.levers) {
        row({
          kind: 'lever',
          level: 3,
          id: l.leverId,
          label: l.greyed ? `${l.name} (levier grisé par le SGPE)` : l.name,
          figures: l,
          counts: l.counts,
          values: l.values,
          physical2030: l.physical2030 ? { value: l.physical2030.value, unit: l.physical2030.unit } : null,
          greyed: l.greyed,
        });
      }
    }
  }
  if (result.unmatched.length > 0) {
    const counts: CoverageCounts = {
      byStatus: { realise: 0, 'en-cours': 0, prevu: 0 },
      total: result.unmatched.length,
      quantified: 0,
      converted: 0,
      unquantified: 0,
    };
    for (const u of result.unmatched) {
      const s = u.entry.status;
      if ((ENTRY_STATUSES as readonly string[]).includes(s)) counts.byStatus[s]++;
      if (typeof u.entry.effectKtCO2e === 'number') counts.quantified++;
      else counts.unquantified++;
    }
    row({
      kind: 'unmatched',
      level: 1,
      id: 'unmatched',
      label: 'Entrées sur un levier inconnu de la région (non comptées)',
      figures: null,
      counts,
      values: null,
      physical2030: null,
      greyed: false,
    });
  }
  row({ kind: 'overall', level: 1, id: 'overall', label: 'Total', figures: result.overall, counts: result.overall.counts, values: null, physical2030: null, greyed: false });
  return { columns: COVERAGE_COLUMNS, rows };
}

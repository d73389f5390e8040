/**
 * Panorama and gap: how far the diagnostic's entries already go towards the region's 2030 objectives.
 *
 * Per lever: the SGPE objective (ktCO2e avoided in 2030 vs 2019, and its physical order of magnitude), what the
 * entries cover, the share covered and the gap left; then the same figures per sector, per panorama and overall.
 *
 * Counting rules:
 * - **covered** = ktCO2e of the entries `realise` + `en-cours`; **planned** = ktCO2e of the `prevu` entries, reported
 *   apart and never part of the covered share. The ktCO2e of an entry follow `entryEffect` (stated ktCO2e, else a
 *   value in tCO2e/ktCO2e, else a physical increment converted with the lever's ratio).
 * - **share** = covered / objective, the raw ratio (may exceed 1, may be negative); null when the objective is null
 *   or ≤ 0. **shareCapped** is the figure to draw: clamped to [0, 1].
 * - **gap** = max(0, objective − covered) per lever. Above a lever, gaps are **summed lever by lever**: a lever that
 *   goes beyond its objective does not fill another lever's gap (each lever is a separate SGPE commitment). So an
 *   aggregate's `gap` can exceed `objective − covered`, and its `shareCapped` is `(objective − gap) / objective`
 *   (each lever's contribution capped at its objective) while its `share` stays the raw
 *   `coveredTowardObjective / objective`.
 * - Aggregates: `objectiveKtCO2e` sums the levers that have one (null when none has); `covered`/`planned` sum every
 *   lever; `coveredTowardObjective`/`plannedTowardObjective` only the levers with an objective (what share uses).
 * - Levers without a ktCO2e objective (biodiversity/resources panorama, or none in the simulator): share and gap
 *   null; the entries are counted, and the effect values stated in the lever's unit are summed (`values`).
 * - Entries whose lever is not in the catalogue (or whose status is unknown) go to `unmatched`, never dropped
 *   silently; they are in no figure.
 */
import { PANORAMA_IDS, SECTOR_IDS, PANORAMA_LABELS, SECTOR_LABELS } from '../catalogue/sectors.ts';
import { toPhysical } from '../catalogue/physical.ts';
import type { Panorama, SectorId } from '../catalogue/types.ts';
import { ENTRY_STATUSES, type EntryStatus } from '../diagnostic/entry.ts';
import { entryEffect, type CoverageEntry, type CoverageLever } from './effect.ts';

export interface CoverageCounts {
  /** Entries per status. */
  byStatus: Record<EntryStatus, number>;
  total: number;
  /** Entries with an effect in ktCO2e (stated or converted). */
  quantified: number;
  /** Entries whose ktCO2e were converted from a physical value or a tCO2e/MtCO2e value. */
  converted: number;
  /** Entries without any effect in ktCO2e. */
  unquantified: number;
}

export interface CoverageFigures {
  /** 2030 objective in ktCO2e avoided vs 2019; null without one. */
  objectiveKtCO2e: number | null;
  /** ktCO2e of the entries done or under way (`realise` + `en-cours`). */
  covered: number;
  /** ktCO2e of the planned entries (`prevu`), not in the covered share. */
  planned: number;
  /** `covered` restricted to levers that have an objective (what `share` divides). */
  coveredTowardObjective: number;
  /** `planned` restricted to levers that have an objective. */
  plannedTowardObjective: number;
  /** Raw coveredTowardObjective / objective (may exceed 1); null without a positive objective. */
  share: number | null;
  /** Share to display, in [0, 1] (see the module comment for aggregates). */
  shareCapped: number | null;
  /** plannedTowardObjective / objective, raw; null without a positive objective. */
  plannedShare: number | null;
  /** ktCO2e left to cover, summed lever by lever; null without an objective. */
  gap: number | null;
  counts: CoverageCounts;
}

/** Effect values stated in the lever's own unit, summed (meaningful for levers without a ktCO2e objective). */
export interface LeverValues {
  /** The lever's indicator unit. */
  unit: string;
  /** Sum over `realise` + `en-cours` entries. */
  covered: number;
  /** Sum over `prevu` entries. */
  planned: number;
  /** Entries whose value is in this unit. */
  counted: number;
  /** Entries with a value in another unit (not summed). */
  otherUnit: number;
}

export interface LeverCoverage<E extends CoverageEntry = CoverageEntry> extends CoverageFigures {
  leverId: string;
  name: string;
  sector: SectorId;
  panorama: Panorama;
  /** Greyed SGPE lever (shown, not editable). */
  greyed: boolean;
  /** The objective as the simulator's physical order of magnitude in 2030, when there is one. */
  physical2030: { value: number; unit: string; startPoint2019: number; relative: boolean } | null;
  values: LeverValues;
  /** The lever's entries, in input order. */
  entries: E[];
}

export interface SectorCoverage<E extends CoverageEntry = CoverageEntry> extends CoverageFigures {
  sectorId: SectorId;
  label: string;
  levers: LeverCoverage<E>[];
}

export interface PanoramaCoverage<E extends CoverageEntry = CoverageEntry> extends CoverageFigures {
  panorama: Panorama;
  label: string;
  sectors: SectorCoverage<E>[];
}

export interface UnmatchedEntry<E extends CoverageEntry = CoverageEntry> {
  entry: E;
  reason: 'unknown-lever' | 'unknown-status';
  /** French explanation. */
  message: string;
}

export interface CoverageResult<E extends CoverageEntry = CoverageEntry> {
  /** Every lever of the catalogue, in catalogue order. */
  levers: LeverCoverage<E>[];
  /** Panoramas in display order (only those with levers), each with its sectors in display order. */
  panoramas: PanoramaCoverage<E>[];
  /** Totals over the whole catalogue. */
  overall: CoverageFigures;
  /** Entries counted nowhere, with why. */
  unmatched: UnmatchedEntry<E>[];
}

const emptyByStatus = (): Record<EntryStatus, number> => ({ realise: 0, 'en-cours': 0, prevu: 0 });
const emptyCounts = (): CoverageCounts => ({ byStatus: emptyByStatus(), total: 0, quantified: 0, converted: 0, unquantified: 0 });

function addCounts(a: CoverageCounts, b: CoverageCounts): CoverageCounts {
  const byStatus = emptyByStatus();
  for (const s of ENTRY_STATUSES) byStatus[s] = a.byStatus[s] + b.byStatus[s];
  return {
    byStatus,
    total: a.total + b.total,
    quantified: a.quantified + b.quantified,
    converted: a.converted + b.converted,
    unquantified: a.unquantified + b.unquantified,
  };
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

interface Sums {
  objective: number | null;
  covered: number;
  planned: number;
  coveredToward: number;
  plannedToward: number;
  gap: number | null;
  counts: CoverageCounts;
}

function figuresOf(s: Sums): CoverageFigures {
  const positive = s.objective !== null && s.objective > 0;
  const objective = s.objective ?? 0;
  return {
    objectiveKtCO2e: s.objective,
    covered: s.covered,
    planned: s.planned,
    coveredTowardObjective: s.coveredToward,
    plannedTowardObjective: s.plannedToward,
    share: positive ? s.coveredToward / objective : null,
    shareCapped: positive ? clamp01((objective - (s.gap ?? 0)) / objective) : null,
    plannedShare: positive ? s.plannedToward / objective : null,
    gap: s.gap,
    counts: s.counts,
  };
}

/** Totals of levers, sectors or panoramas (see the module comment). */
export function sumCoverage(items: readonly CoverageFigures[]): CoverageFigures {
  const s: Sums = { objective: null, covered: 0, planned: 0, coveredToward: 0, plannedToward: 0, gap: null, counts: emptyCounts() };
  for (const i of items) {
    if (i.objectiveKtCO2e !== null) s.objective = (s.objective ?? 0) + i.objectiveKtCO2e;
    if (i.gap !== null) s.gap = (s.gap ?? 0) + i.gap;
    s.covered += i.covered;
    s.planned += i.planned;
    s.coveredToward += i.coveredTowardObjective;
    s.plannedToward += i.plannedTowardObjective;
    s.counts = addCounts(s.counts, i.counts);
  }
  return figuresOf(s);
}

const isStatus = (s: unknown): s is EntryStatus => (ENTRY_STATUSES as readonly unknown[]).includes(s);

/** Coverage of a region's catalogue by diagnostic entries (see the module comment for every rule). */
export function computeCoverage<E extends CoverageEntry>(
  catalogue: { levers: readonly CoverageLever[] },
  entries: readonly E[],
): CoverageResult<E> {
  const byId = new Map<string, CoverageLever>();
  for (const l of catalogue.levers) if (!byId.has(l.id)) byId.set(l.id, l);
  const own = new Map<string, E[]>();
  const unmatched: UnmatchedEntry<E>[] = [];
  for (const e of entries) {
    if (!byId.has(e.lever)) {
      unmatched.push({ entry: e, reason: 'unknown-lever', message: `levier inconnu dans le catalogue de la région : ${e.lever || '(vide)'}` });
    } else if (!isStatus(e.status)) {
      unmatched.push({ entry: e, reason: 'unknown-status', message: `statut inconnu : ${String(e.status)}` });
    } else {
      const list = own.get(e.lever);
      if (list) list.push(e);
      else own.set(e.lever, [e]);
    }
  }

  const levers = [...byId.values()].map((l) => leverCoverage(l, own.get(l.id) ?? []));

  const panoramas: PanoramaCoverage<E>[] = [];
  for (const p of orderedKeys(levers.map((l) => l.panorama), PANORAMA_IDS)) {
    const inPanorama = levers.filter((l) => l.panorama === p);
    const sectors: SectorCoverage<E>[] = orderedKeys(inPanorama.map((l) => l.sector), SECTOR_IDS).map((sectorId) => {
      const list = inPanorama.filter((l) => l.sector === sectorId);
      return { sectorId, label: SECTOR_LABELS[sectorId] ?? sectorId, levers: list, ...sumCoverage(list) };
    });
    panoramas.push({ panorama: p, label: PANORAMA_LABELS[p] ?? p, sectors, ...sumCoverage(sectors) });
  }
  return { levers, panoramas, overall: sumCoverage(panoramas), unmatched };
}

/** Distinct keys in the order of `order`, unknown ones last in first-seen order. */
function orderedKeys<K extends string>(keys: readonly K[], order: readonly string[]): K[] {
  const distinct = [...new Set(keys)];
  const rank = (k: string): number => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  return distinct.map((k, i) => ({ k, i })).sort((a, b) => rank(a.k) - rank(b.k) || a.i - b.i).map((x) => x.k);
}

function leverCoverage<E extends CoverageEntry>(lever: CoverageLever, entries: E[]): LeverCoverage<E> {
  const objective = lever.objective?.objectiveKtCO2e ?? null;
  const hasObjective = objective !== null && Number.isFinite(objective);
  const counts = emptyCounts();
  const values: LeverValues = { unit: lever.unit, covered: 0, planned: 0, counted: 0, otherUnit: 0 };
  let covered = 0;
  let planned = 0;
  for (const e of entries) {
    const effect = entryEffect(e, lever);
    const done = e.status !== 'prevu';
    counts.byStatus[e.status]++;
    counts.total++;
    if (effect.ktCO2e === null) counts.unquantified++;
    else {
      counts.quantified++;
      if (effect.basis === 'physical' || effect.basis === 'co2e-unit') counts.converted++;
      if (done) covered += effect.ktCO2e;
      else planned += effect.ktCO2e;
    }
    if (effect.leverUnitValue !== null) {
      values.counted++;
      if (done) values.covered += effect.leverUnitValue;
      else values.planned += effect.leverUnitValue;
    } else if (typeof e.effectValue === 'number' && Number.isFinite(e.effectValue)) {
      values.otherUnit++;
    }
  }
  const physical = lever.objective?.physical ?? null;
  const figures = figuresOf({
    objective: hasObjective ? objective : null,
    covered,
    planned,
    coveredToward: hasObjective ? covered : 0,
    plannedToward: hasObjective ? planned : 0,
    gap: hasObjective ? Math.max(0, objective - covered) : null,
    counts,
  });
  return {
    leverId: lever.id,
    name: lever.name,
    sector: lever.sector,
    panorama: lever.panorama,
    greyed: lever.objective?.editionDisabled === true,
    physical2030:
      hasObjective && physical
        ? { value: toPhysical(objective, physical), unit: physical.unit, startPoint2019: physical.startPoint2019, relative: physical.relative }
        : null,
    values,
    entries,
    ...figures,
  };
}

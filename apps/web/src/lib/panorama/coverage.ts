/**
 * Coverage of the region's 2030 objectives by the diagnostic: per lever, per sector and per panorama, how many ktCO2e
 * the entries that are done or under way (`realise` + `en-cours`) account for, what is planned (`prevu`, kept apart),
 * the share of the objective covered and the gap left.
 *
 * Pure functions without framework imports (unit tested in tests/unit/coverage.test.ts). Written here because the
 * domain module `packages/domain/src/coverage/` did not exist yet; the shapes follow its announced contract, so these
 * can be swapped for it.
 *
 * Only entries that state an effect in ktCO2e count in `covered`/`planned`; the others still count in `entries`
 * (an action without a quantified effect is known, not measured).
 *
 * Above a lever, gaps are summed lever by lever: a lever that goes beyond its objective does not fill another lever's
 * gap (each lever is a separate SGPE commitment), and shares divide only what levers with an objective cover — the
 * rule the domain module announces.
 */

export type CoverageStatus = 'realise' | 'en-cours' | 'prevu';

/** The lever fields coverage needs (structurally a `RegionLever` of the catalogue API). */
export interface CoverageLever {
  id: string;
  name: string;
  sector: string;
  panorama: string;
  unit: string;
  objective: {
    objectiveKtCO2e: number | null;
    physical: { startPoint2019: number; ratio: number; unit: string; relative: boolean } | null;
    enabled: boolean;
  } | null;
}

/** The entry fields coverage needs (structurally a `DiagnosticEntry`). */
export interface CoverageEntry {
  lever: string;
  status: CoverageStatus;
  effectKtCO2e: number | null;
}

export interface EntryCounts {
  realise: number;
  enCours: number;
  prevu: number;
  total: number;
  /** Entries without an effect in ktCO2e. */
  withoutEffect: number;
}

export interface CoverageFigures {
  /** 2030 objective in ktCO2e avoided vs 2019; null when there is none (biodiversity levers, greyed levers). */
  objectiveKtCO2e: number | null;
  /** ktCO2e of the entries done or under way. */
  covered: number;
  /** ktCO2e of the planned entries (not counted as covered). */
  planned: number;
  /** `covered` of the levers that have an objective (what `share` divides). */
  coveredTowardObjective: number;
  /** `planned` of the levers that have an objective. */
  plannedTowardObjective: number;
  /** covered / objective (may exceed 1); null without a positive objective. */
  share: number | null;
  /** planned / objective; null without a positive objective. */
  plannedShare: number | null;
  /** What is left to cover, summed lever by lever (max(0, objective − covered) each); null without an objective. */
  gap: number | null;
  entries: EntryCounts;
}

export interface LeverCoverage extends CoverageFigures {
  leverId: string;
  name: string;
  sector: string;
  panorama: string;
  unit: string;
  /** The objective as a physical order of magnitude in 2030 (SGPE simulator translation), when there is one. */
  physical2030: { value: number; unit: string } | null;
}

export interface SectorCoverage extends CoverageFigures {
  sectorId: string;
  label: string;
  levers: LeverCoverage[];
}

export interface PanoramaCoverage extends CoverageFigures {
  panorama: string;
  sectors: SectorCoverage[];
}

/** The simulator's physical translation: `max(0, startPoint2019 + ktCO2e × ratio)`. */
export function physicalOf(objectiveKtCO2e: number, physical: { startPoint2019: number; ratio: number }): number {
  return Math.max(0, physical.startPoint2019 + objectiveKtCO2e * physical.ratio);
}

const emptyCounts = (): EntryCounts => ({ realise: 0, enCours: 0, prevu: 0, total: 0, withoutEffect: 0 });

function addCounts(a: EntryCounts, b: EntryCounts): EntryCounts {
  return {
    realise: a.realise + b.realise,
    enCours: a.enCours + b.enCours,
    prevu: a.prevu + b.prevu,
    total: a.total + b.total,
    withoutEffect: a.withoutEffect + b.withoutEffect,
  };
}

/** One lever's figures. */
function figures(objective: number | null, covered: number, planned: number, entries: EntryCounts): CoverageFigures {
  const positive = objective !== null && objective > 0;
  return {
    objectiveKtCO2e: objective,
    covered,
    planned,
    coveredTowardObjective: objective === null ? 0 : covered,
    plannedTowardObjective: objective === null ? 0 : planned,
    share: positive ? covered / objective : null,
    plannedShare: positive ? planned / objective : null,
    gap: objective === null ? null : Math.max(0, objective - covered),
    entries,
  };
}

/** Coverage of every lever of the catalogue (in catalogue order) by the entries. */
export function leverCoverage(levers: readonly CoverageLever[], entries: readonly CoverageEntry[]): LeverCoverage[] {
  const byLever = new Map<string, { covered: number; planned: number; counts: EntryCounts }>();
  for (const e of entries) {
    let acc = byLever.get(e.lever);
    if (!acc) byLever.set(e.lever, (acc = { covered: 0, planned: 0, counts: emptyCounts() }));
    const kt = typeof e.effectKtCO2e === 'number' && Number.isFinite(e.effectKtCO2e) ? e.effectKtCO2e : null;
    acc.counts.total++;
    if (kt === null) acc.counts.withoutEffect++;
    if (e.status === 'prevu') {
      acc.counts.prevu++;
      acc.planned += kt ?? 0;
    } else {
      if (e.status === 'realise') acc.counts.realise++;
      else acc.counts.enCours++;
      acc.covered += kt ?? 0;
    }
  }
  return levers.map((l) => {
    const acc = byLever.get(l.id) ?? { covered: 0, planned: 0, counts: emptyCounts() };
    const objective = l.objective?.objectiveKtCO2e ?? null;
    const phys = l.objective?.physical ?? null;
    return {
      leverId: l.id,
      name: l.name,
      sector: l.sector,
      panorama: l.panorama,
      unit: l.unit,
      physical2030: objective !== null && phys ? { value: physicalOf(objective, phys), unit: phys.unit } : null,
      ...figures(objective, acc.covered, acc.planned, acc.counts),
    };
  });
}

/** Levers grouped by sector (in the order of `sectors`, unknown sectors last), with the sector's totals. */
export function sectorCoverage(levers: readonly LeverCoverage[], sectors: readonly { id: string; label: string }[]): SectorCoverage[] {
  const order = new Map(sectors.map((s, i) => [s.id, i]));
  const label = new Map(sectors.map((s) => [s.id, s.label]));
  const bySector = new Map<string, LeverCoverage[]>();
  for (const l of levers) {
    const list = bySector.get(l.sector);
    if (list) list.push(l);
    else bySector.set(l.sector, [l]);
  }
  return [...bySector]
    .sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || a.localeCompare(b))
    .map(([sectorId, list]) => ({ sectorId, label: label.get(sectorId) ?? sectorId, levers: list, ...total(list) }));
}

/**
 * Sums of a set of levers (or sectors): objectives of the items that have one (null when none has), gaps summed
 * item by item, shares of what the items with an objective cover.
 */
export function total(items: readonly CoverageFigures[]): CoverageFigures {
  let objective: number | null = null;
  let gap: number | null = null;
  let covered = 0;
  let planned = 0;
  let coveredToward = 0;
  let plannedToward = 0;
  let counts = emptyCounts();
  for (const i of items) {
    if (i.objectiveKtCO2e !== null) objective = (objective ?? 0) + i.objectiveKtCO2e;
    if (i.gap !== null) gap = (gap ?? 0) + i.gap;
    covered += i.covered;
    planned += i.planned;
    coveredToward += i.coveredTowardObjective;
    plannedToward += i.plannedTowardObjective;
    counts = addCounts(counts, i.entries);
  }
  const divisor = objective !== null && objective > 0 ? objective : null;
  return {
    objectiveKtCO2e: objective,
    covered,
    planned,
    coveredTowardObjective: coveredToward,
    plannedTowardObjective: plannedToward,
    share: divisor === null ? null : coveredToward / divisor,
    plannedShare: divisor === null ? null : plannedToward / divisor,
    gap,
    entries: counts,
  };
}

/** One panorama (`attenuation` or `biodiversite-ressources`): its sectors and totals. */
export function panoramaCoverage(
  panorama: string,
  levers: readonly CoverageLever[],
  sectors: readonly { id: string; label: string }[],
  entries: readonly CoverageEntry[],
): PanoramaCoverage {
  const own = levers.filter((l) => l.panorama === panorama);
  const ids = new Set(own.map((l) => l.id));
  const bySector = sectorCoverage(leverCoverage(own, entries.filter((e) => ids.has(e.lever))), sectors);
  return { panorama, sectors: bySector, ...total(bySector) };
}

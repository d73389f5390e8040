/**
 * Treemap data of a region's panorama ("Mondrian" of the SGPE simulator): sectors, each made of its levers, sized
 * by the lever's 2030 objective in ktCO2e. Levers without a positive ktCO2e objective (the biodiversity/resources
 * panorama, levers the simulator gives no figure) cannot be sized: they are left out of the treemap and listed in
 * `withoutObjective`, so that a page can still show them.
 */
import { toPhysical } from '../catalogue/physical.ts';
import { PANORAMA_LABELS, SECTOR_LABELS } from '../catalogue/sectors.ts';
import type { Panorama, SectorId } from '../catalogue/types.ts';
import type { CoverageResult } from './coverage.ts';
import type { CoverageLever } from './effect.ts';

export interface TreemapLever {
  leverId: string;
  name: string;
  sector: SectorId;
  panorama: Panorama;
  /** Size of the tile (> 0). */
  objectiveKtCO2e: number;
  /** objectiveKtCO2e / total of the treemap. */
  weight: number;
  greyed: boolean;
  physical2030: { value: number; unit: string } | null;
  /** Share of the objective covered (display value in [0, 1]), when coverage was given; else null. */
  shareCapped: number | null;
}

export interface TreemapSector {
  sectorId: SectorId;
  label: string;
  objectiveKtCO2e: number;
  weight: number;
  /** Largest first. */
  levers: TreemapLever[];
}

export interface LeverWithoutObjective {
  leverId: string;
  name: string;
  sector: SectorId;
  panorama: Panorama;
  /** French explanation. */
  reason: string;
}

export interface PanoramaTreemap {
  /** Sum of the tiles, ktCO2e. */
  totalKtCO2e: number;
  /** Largest first (ties: name). */
  sectors: TreemapSector[];
  /** Levers of the catalogue not in the treemap, in catalogue order. */
  withoutObjective: LeverWithoutObjective[];
}

/**
 * Treemap of a region's catalogue. With a coverage result (same catalogue), each tile also carries the share of
 * its objective already covered, for colouring.
 */
export function panorama(catalogue: { levers: readonly CoverageLever[] }, coverage?: CoverageResult): PanoramaTreemap {
  const shares = new Map((coverage?.levers ?? []).map((l) => [l.leverId, l.shareCapped]));
  const tiles: TreemapLever[] = [];
  const withoutObjective: LeverWithoutObjective[] = [];
  for (const l of catalogue.levers) {
    const objective = l.objective?.objectiveKtCO2e ?? null;
    if (objective === null || !Number.isFinite(objective) || objective <= 0) {
      withoutObjective.push({
        leverId: l.id,
        name: l.name,
        sector: l.sector,
        panorama: l.panorama,
        reason:
          l.panorama === 'biodiversite-ressources'
            ? `levier du panorama ${PANORAMA_LABELS[l.panorama]} : pas d’objectif en ktCO2e`
            : objective === null
              ? 'pas d’objectif en ktCO2e pour cette région'
              : 'objectif nul ou négatif',
      });
      continue;
    }
    const physical = l.objective?.physical ?? null;
    tiles.push({
      leverId: l.id,
      name: l.name,
      sector: l.sector,
      panorama: l.panorama,
      objectiveKtCO2e: objective,
      weight: 0,
      greyed: l.objective?.editionDisabled === true,
      physical2030: physical ? { value: toPhysical(objective, physical), unit: physical.unit } : null,
      shareCapped: shares.get(l.id) ?? null,
    });
  }
  const total = tiles.reduce((s, t) => s + t.objectiveKtCO2e, 0);
  const bySector = new Map<SectorId, TreemapLever[]>();
  for (const t of tiles) {
    t.weight = total > 0 ? t.objectiveKtCO2e / total : 0;
    const list = bySector.get(t.sector);
    if (list) list.push(t);
    else bySector.set(t.sector, [t]);
  }
  const bySize = <T extends { objectiveKtCO2e: number }>(name: (x: T) => string) => (a: T, b: T): number =>
    b.objectiveKtCO2e - a.objectiveKtCO2e || name(a).localeCompare(name(b), 'fr');
  const sectors: TreemapSector[] = [...bySector].map(([sectorId, levers]) => {
    const sum = levers.reduce((s, t) => s + t.objectiveKtCO2e, 0);
    return {
      sectorId,
      label: SECTOR_LABELS[sectorId] ?? sectorId,
      objectiveKtCO2e: sum,
      weight: total > 0 ? sum / total : 0,
      levers: levers.sort(bySize<TreemapLever>((t) => t.name)),
    };
  });
  sectors.sort(bySize<TreemapSector>((s) => s.label));
  return { totalKtCO2e: total, sectors, withoutObjective };
}

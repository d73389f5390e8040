/**
 * Lever catalogue: the SGPE levers of the COP régionales with their regional 2030 objectives.
 * Data: `data/levers.json`, built by `scripts/build-catalogue.ts` (see data/README.md). The SGPE figures are
 * working data that do not commit the State: show `CATALOGUE_SOURCE.caveat` wherever they are displayed.
 */
import data from '../../data/levers.json' with { type: 'json' };
import { LeversFileSchema } from './schema.ts';
import { panoramaRank, sectorRank } from './sectors.ts';
import type { CatalogueSource, Lever, RegionalObjective, RegionCatalogue, RegionLever } from './types.ts';

export {
  SECTORS,
  PANORAMAS,
  SECTOR_IDS,
  PANORAMA_IDS,
  SECTOR_LABELS,
  PANORAMA_LABELS,
  isSectorId,
} from './sectors.ts';
export type { SectorInfo, PanoramaInfo } from './sectors.ts';
export type {
  Lever,
  LeverConfidence,
  LeverOrigin,
  SectorId,
  Panorama,
  PhysicalTranslation,
  RegionalObjective,
  RegionLever,
  RegionCatalogue,
  CatalogueSource,
  CatalogueSourceRef,
  LeversFile,
} from './types.ts';
export { LeverIdSchema, LeversFileSchema } from './schema.ts';
export { toPhysical, toKtCO2e } from './physical.ts';

const file = LeversFileSchema.parse(data);

const LEVERS: readonly Lever[] = file.levers;
const LEVERS_BY_ID: ReadonlyMap<string, Lever> = new Map(LEVERS.map((l) => [l.id, l]));

/** Provenance, licence and caveat of the catalogue figures. */
export const CATALOGUE_SOURCE: CatalogueSource = file.source;

/** INSEE codes of the regions that have SGPE objectives (13 hexagonal + 5 overseas). */
export const CATALOGUE_REGION_CODES: readonly string[] = Object.keys(file.objectives).sort();

/** All levers of the catalogue (both panoramas, including national-only ones), in catalogue order. */
export function listLevers(): Lever[] {
  return [...LEVERS];
}

export function getLever(id: string): Lever | undefined {
  return LEVERS_BY_ID.get(id);
}

/** The SGPE objective of a lever in a region, or null when the simulator has none. */
export function getRegionalObjective(regionCode: string, leverId: string): RegionalObjective | null {
  return file.objectives[regionCode]?.[leverId] ?? null;
}

function compareLevers(a: Lever, b: Lever): number {
  return (
    panoramaRank(a.panorama) - panoramaRank(b.panorama) ||
    sectorRank(a.sector) - sectorRank(b.sector) ||
    a.name.localeCompare(b.name, 'fr')
  );
}

const regionCatalogues = new Map<string, RegionCatalogue>();

/**
 * Levers relevant to a region: those with an SGPE objective for it (simulator rows, including greyed ones)
 * plus every biodiversity/resource lever (objective null), sorted by panorama, sector and name.
 * Null for a region without SGPE data (unknown code, overseas collectivities).
 * The result is cached: treat it as read-only.
 */
export function getRegionCatalogue(regionCode: string): RegionCatalogue | null {
  const cached = regionCatalogues.get(regionCode);
  if (cached) return cached;
  const objectives = Object.hasOwn(file.objectives, regionCode) ? file.objectives[regionCode] : undefined;
  if (!objectives) return null;
  const levers: RegionLever[] = LEVERS.filter(
    (l) => Object.hasOwn(objectives, l.id) || l.panorama === 'biodiversite-ressources',
  )
    .sort(compareLevers)
    .map((l) => ({ ...l, objective: objectives[l.id] ?? null }));
  const catalogue: RegionCatalogue = { regionCode, levers, source: CATALOGUE_SOURCE };
  regionCatalogues.set(regionCode, catalogue);
  return catalogue;
}

/** Ids of the levers of a region's catalogue (empty for a region without SGPE data). */
export function leverIdsForRegion(regionCode: string): Set<string> {
  return new Set(getRegionCatalogue(regionCode)?.levers.map((l) => l.id) ?? []);
}

import type { Panorama, SectorId } from './sectors.ts';

export type { Panorama, SectorId } from './sectors.ts';

/** How sure the catalogue is about a lever (see data/README.md). */
export type LeverConfidence = 'confirmed' | 'partial';

/**
 * Where a lever comes from:
 * - `simulateur`: one of the 30 hexagonal levers of the SGPE territorial simulator (regional ktCO2e objectives);
 * - `simulateur-outre-mer`: one of the 13 overseas levers of the simulator;
 * - `leviers-50`: a name of the SGPE list of 50 levers (March 2025) that the simulator does not carry.
 */
export type LeverOrigin = 'simulateur' | 'simulateur-outre-mer' | 'leviers-50';

/** One lever of the catalogue (attributes that do not depend on the region). */
export interface Lever {
  /** Stable ASCII id (simulator ids kept; overseas levers prefixed `drom_`). */
  id: string;
  /** Id in the simulator, or name in the list of 50, of the source record. */
  sourceId: string;
  /** French name. */
  name: string;
  sector: SectorId;
  /** Sector label in the source (simulator), when it has one. */
  sectorSource: string | null;
  /** SGPE "chantier" (e.g. « Mieux se déplacer »), null when no source gives one. */
  chantier: string | null;
  panorama: Panorama;
  origin: LeverOrigin;
  /** Short French description (reworded), null when none. */
  description: string | null;
  /** French name of the indicator followed for this lever. */
  indicator: string;
  /** French unit of the indicator; never empty. */
  unit: string;
  /** True when no source gives a unit and the catalogue chose a generic one. */
  unitInferred: boolean;
  /** False for national-only levers (nuclear, aviation fuels…) not territorialised by the SGPE. */
  regional: boolean;
  confidence: LeverConfidence;
  /** Names of the SGPE list of 50 levers (March 2025) that this lever covers. */
  sgpe50Names: string[];
  /** Id of the lever this one details (e.g. « Top 50 sites industriels » details `co2_indus`). */
  parent: string | null;
  /** National 2030 reference target, in French, when one is known. */
  nationalTarget2030: string | null;
}

/**
 * Simulator translation of a ktCO2e objective into a physical order of magnitude:
 * `physical = max(0, startPoint2019 + ktCO2e × ratio)`.
 */
export interface PhysicalTranslation {
  /** Physical value in 2019 (0 for "avoided" quantities). */
  startPoint2019: number;
  /** Physical units per ktCO2e; negative when the quantity must fall (e.g. fuel-oil boilers). */
  ratio: number;
  /** French unit of the physical quantity, e.g. « milliers de véhicules électriques dans le parc régional (en 2030) ». */
  unit: string;
  /** True when a 2019 start point exists (the quantity is a stock/level, not an avoided amount). */
  relative: boolean;
}

/** SGPE objective of one lever in one region (simulator row). */
export interface RegionalObjective {
  /** ktCO2e avoided in 2030 vs 2019; null when the lever has no ktCO2e objective. */
  objectiveKtCO2e: number | null;
  /** Null when the simulator gives no physical order of magnitude. */
  physical: PhysicalTranslation | null;
  /** The region has this lever open in the simulator. */
  enabled: boolean;
  /** Greyed lever: shown but not editable (e.g. forests not regionalised, renewables handled by the CRE). */
  editionDisabled: boolean;
  /** Why the lever is greyed, in French (from the source), or null. */
  note: string | null;
  /** Region-wide remark of the source (e.g. « En attente du lancement de la COP »), or null. */
  regionNote: string | null;
  /** Name used by the source for this region when it differs from the lever name (e.g. Corse), or null. */
  localName: string | null;
}

export interface CatalogueSourceRef {
  id: string;
  /** French name of the source. */
  name: string;
  /** `owner/repo:path@commit`, or a path in the project's shared data folder. */
  path: string;
  /** Browsable address, when the source is a public repository. */
  url: string | null;
  /** Date of the data (YYYY-MM-DD or YYYY-MM), or null. */
  date: string | null;
  licence: string | null;
}

/** Provenance of the catalogue, to be shown wherever the figures are. */
export interface CatalogueSource {
  /** Licence of the SGPE figures. */
  licence: string;
  /** French caveat that must accompany the figures. */
  caveat: string;
  /** Date of the regional objectives (simulator data). */
  dataDate: string;
  sources: CatalogueSourceRef[];
}

/** The data file `data/levers.json`. */
export interface LeversFile {
  schemaVersion: 1;
  source: CatalogueSource;
  levers: Lever[];
  /** INSEE region code → lever id → objective. */
  objectives: Record<string, Record<string, RegionalObjective>>;
}

export type RegionLever = Lever & { objective: RegionalObjective | null };

export interface RegionCatalogue {
  regionCode: string;
  levers: RegionLever[];
  source: CatalogueSource;
}

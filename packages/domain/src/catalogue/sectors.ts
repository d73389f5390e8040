/** Sector ids of the lever catalogue, in display order. Labels are French (shown to participants). */
export const SECTOR_IDS = [
  'transports',
  'batiments-residentiels',
  'batiments-tertiaires',
  'agriculture',
  'industrie',
  'energie',
  'dechets',
  'puits-carbone',
  'biodiversite',
  'ressources',
] as const;
export type SectorId = (typeof SECTOR_IDS)[number];

export const PANORAMA_IDS = ['attenuation', 'biodiversite-ressources'] as const;
/** The two COP panoramas: greenhouse-gas mitigation (ktCO2e) and biodiversity/natural resources. */
export type Panorama = (typeof PANORAMA_IDS)[number];

export interface SectorInfo {
  id: SectorId;
  label: string;
}

export interface PanoramaInfo {
  id: Panorama;
  label: string;
}

export const SECTORS: readonly SectorInfo[] = [
  { id: 'transports', label: 'Transports et mobilités' },
  { id: 'batiments-residentiels', label: 'Bâtiments résidentiels' },
  { id: 'batiments-tertiaires', label: 'Bâtiments tertiaires' },
  { id: 'agriculture', label: 'Agriculture' },
  { id: 'industrie', label: 'Industrie' },
  { id: 'energie', label: 'Énergie' },
  { id: 'dechets', label: 'Déchets' },
  { id: 'puits-carbone', label: 'Puits de carbone (forêts, sols)' },
  { id: 'biodiversite', label: 'Biodiversité' },
  { id: 'ressources', label: 'Ressources (eau, sols)' },
];

export const PANORAMAS: readonly PanoramaInfo[] = [
  { id: 'attenuation', label: 'Atténuation (décarbonation)' },
  { id: 'biodiversite-ressources', label: 'Biodiversité et ressources' },
];

export const SECTOR_LABELS: Readonly<Record<SectorId, string>> = Object.fromEntries(
  SECTORS.map((s) => [s.id, s.label]),
) as Record<SectorId, string>;

export const PANORAMA_LABELS: Readonly<Record<Panorama, string>> = Object.fromEntries(
  PANORAMAS.map((p) => [p.id, p.label]),
) as Record<Panorama, string>;

export function isSectorId(value: string): value is SectorId {
  return (SECTOR_IDS as readonly string[]).includes(value);
}

/** Position of a sector in display order (for sorting). */
export function sectorRank(id: SectorId): number {
  return SECTOR_IDS.indexOf(id);
}

/** Position of a panorama in display order (for sorting). */
export function panoramaRank(id: Panorama): number {
  return PANORAMA_IDS.indexOf(id);
}

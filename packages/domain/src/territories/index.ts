/**
 * Territories of a COP régionale: the region, its départements, its EPCI à fiscalité propre and its CRTE.
 * Régions, départements and EPCI come from `@etalab/decoupage-administratif` 6.0.0; CRTE are imported
 * (see crte.ts) with an illustrative example shipped for Auvergne-Rhône-Alpes.
 */
import { listCrtes, onCrtesChanged } from './crte.ts';
import { territoryIndexes } from './data.ts';
import type {
  Departement,
  Epci,
  ParsedTerritoryRef,
  Region,
  RegionTerritories,
  TerritoryKind,
  TerritoryRef,
} from './types.ts';

export type {
  Region,
  RegionZone,
  Departement,
  Epci,
  EpciType,
  Crte,
  RegionTerritories,
  TerritoryKind,
  TerritoryRef,
  ParsedTerritoryRef,
  CrteCsvError,
  CrteCsvResult,
  CrteRegistrationError,
  CrteRegistrationResult,
} from './types.ts';
export { EPCI_TYPE_LABELS, departementOfCommune } from './data.ts';
export {
  CRTE_CSV_COLUMNS,
  CRTE_EXAMPLE_NOTE,
  CRTE_EXAMPLE_REGION_CODE,
  isCrteCode,
  listCrtes,
  parseCrteCsv,
  registerCrtes,
  resetCrtes,
} from './crte.ts';

export const TERRITORY_KINDS: readonly TerritoryKind[] = ['region', 'departement', 'epci', 'crte'];

export const TERRITORY_KIND_LABELS: Readonly<Record<TerritoryKind, string>> = {
  region: 'Région',
  departement: 'Département',
  epci: 'EPCI',
  crte: 'CRTE',
};

/** Shape of the code of each kind of territory. */
const CODE_PATTERNS: Readonly<Record<TerritoryKind, RegExp>> = {
  region: /^\d{2}$/,
  departement: /^(\d{2}|2[AB]|97\d)$/,
  epci: /^\d{9}$/,
  crte: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/,
};

/** The 18 regions of the COP régionales (13 metropolitan, then 5 overseas), by name. */
export function listRegions(): Region[] {
  return [...territoryIndexes().regions];
}

export function getRegion(code: string): Region | undefined {
  return territoryIndexes().regionsByCode.get(code);
}

/** Départements of a region, by code (empty for an unknown region). */
export function listDepartements(regionCode: string): Departement[] {
  return [...(territoryIndexes().departementsByRegion.get(regionCode) ?? [])];
}

export function getDepartement(code: string): Departement | undefined {
  return territoryIndexes().departementsByCode.get(code);
}

/** EPCI with at least one member commune in the region, by name (empty for an unknown region). */
export function listEpcis(regionCode: string): Epci[] {
  return [...(territoryIndexes().epcisByRegion.get(regionCode) ?? [])];
}

export function getEpci(siren: string): Epci | undefined {
  return territoryIndexes().epcisBySiren.get(siren);
}

interface RegionLookup {
  territories: RegionTerritories;
  departements: ReadonlyMap<string, Departement>;
  epcis: ReadonlyMap<string, Epci>;
  crteNames: ReadonlyMap<string, string>;
}

const regionCache = new Map<string, RegionLookup>();
onCrtesChanged((regionCode) => regionCache.delete(regionCode));

function regionLookup(regionCode: string): RegionLookup | null {
  const cached = regionCache.get(regionCode);
  if (cached) return cached;
  const region = getRegion(regionCode);
  if (!region) return null;
  const territories: RegionTerritories = {
    region,
    departements: listDepartements(regionCode),
    epcis: listEpcis(regionCode),
    crtes: listCrtes(regionCode),
  };
  const lookup: RegionLookup = {
    territories,
    departements: new Map(territories.departements.map((d) => [d.code, d])),
    epcis: new Map(territories.epcis.map((e) => [e.siren, e])),
    crteNames: new Map(territories.crtes.map((c) => [c.code, c.name])),
  };
  regionCache.set(regionCode, lookup);
  return lookup;
}

/**
 * The territories of a region (null for an unknown region or a COM). Cached per region and rebuilt when its
 * CRTE change: treat the result as read-only.
 */
export function getRegionTerritories(regionCode: string): RegionTerritories | null {
  return regionLookup(regionCode)?.territories ?? null;
}

export function territoryRef(kind: TerritoryKind, code: string): TerritoryRef {
  return `${kind}:${code}`;
}

/** Splits `kind:code` and checks the code's shape for its kind (not that the territory exists). */
export function parseTerritoryRef(ref: string): ParsedTerritoryRef | null {
  const colon = ref.indexOf(':');
  if (colon < 0) return null;
  const kind = ref.slice(0, colon);
  const code = ref.slice(colon + 1);
  if (!isTerritoryKind(kind) || !CODE_PATTERNS[kind].test(code)) return null;
  return { kind, code };
}

export function isTerritoryKind(value: string): value is TerritoryKind {
  return (TERRITORY_KINDS as readonly string[]).includes(value);
}

/** Whether `ref` names the region itself, or one of its départements, EPCI or CRTE. */
export function isTerritoryOfRegion(regionCode: string, ref: string): boolean {
  const parsed = parseTerritoryRef(ref);
  const lookup = parsed ? regionLookup(regionCode) : null;
  if (!parsed || !lookup) return false;
  switch (parsed.kind) {
    case 'region':
      return parsed.code === regionCode;
    case 'departement':
      return lookup.departements.has(parsed.code);
    case 'epci':
      return lookup.epcis.has(parsed.code);
    case 'crte':
      return lookup.crteNames.has(parsed.code);
  }
}

/**
 * French label of a territory of the region: « Auvergne-Rhône-Alpes », « Rhône (69) », « Métropole de Lyon »,
 * « CRTE Grand Clermont ». Null when the reference is malformed or not a territory of the region.
 */
export function territoryLabel(regionCode: string, ref: string): string | null {
  const parsed = parseTerritoryRef(ref);
  const lookup = parsed ? regionLookup(regionCode) : null;
  if (!parsed || !lookup) return null;
  switch (parsed.kind) {
    case 'region':
      return parsed.code === regionCode ? lookup.territories.region.name : null;
    case 'departement': {
      const d = lookup.departements.get(parsed.code);
      return d ? `${d.name} (${d.code})` : null;
    }
    case 'epci':
      return lookup.epcis.get(parsed.code)?.name ?? null;
    case 'crte': {
      const name = lookup.crteNames.get(parsed.code);
      if (name === undefined) return null;
      return /^crte\b/i.test(name) ? name : `CRTE ${name}`;
    }
  }
}
